/**
 * What every module's tests share: real Redis, Kafka and PostgreSQL servers ({@link
 * dev.sextant.testsupport.WithRedis}, {@link dev.sextant.testsupport.WithKafka}, {@link
 * dev.sextant.testsupport.WithPostgres}; local processes from {@code tools/local-servers} without Docker,
 * Testcontainers with it), a service's jar run as users run it ({@link dev.sextant.testsupport.ServiceJar}), ONNX
 * models built in code ({@link dev.sextant.testsupport.OnnxModels}), records built to break consumers ({@link
 * dev.sextant.testsupport.PoisonRecords}), generated data (a model's prediction logs with its reference,
 * {@link dev.sextant.testsupport.PredictionLogs}; labelled rows for tree models,
 * {@link dev.sextant.testsupport.SyntheticRows}), and the command-line tools a test drives ({@link
 * dev.sextant.testsupport.RequiredTools}, {@link dev.sextant.testsupport.Commands}). Test scope only (the
 * monitoring benchmark's backlog, {@code tools/bench/LogLoad.java}, runs on its classes too).
 */
package dev.sextant.testsupport;
