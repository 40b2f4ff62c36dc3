import { Module } from '@nestjs/common';
import { MatchingRunController } from './matching-run.controller';
import { StreamingProposals } from './streaming';

@Module({ controllers: [MatchingRunController], providers: [StreamingProposals] })
export class MatchingRunModule {}
