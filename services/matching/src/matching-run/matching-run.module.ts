import { Module } from '@nestjs/common';
import { MatchingRunController } from './matching-run.controller';
import { MatchingRunJobs } from './run-jobs';
import { StreamingProposals } from './streaming';

@Module({ controllers: [MatchingRunController], providers: [MatchingRunJobs, StreamingProposals] })
export class MatchingRunModule {}
