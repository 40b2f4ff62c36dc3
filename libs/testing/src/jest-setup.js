require('reflect-metadata');
process.env.TASHGHIL_TEST_BACKENDS ??= 'pglite';
process.env.LOG_LEVEL ??= 'silent';
