/**
 * Real Kafka, Redis and PostgreSQL servers run as local processes, with nothing but a JDK: the machine's binaries
 * where installed (found on the {@code PATH} and where package managers put them), else the ones that jars on Maven
 * Central ship for this platform (Linux or macOS, x86-64 or arm64). {@code ./sextant start} runs {@link
 * dev.sextant.localservers.LocalKafka} and {@link dev.sextant.localservers.LocalRedis}; the tests' servers
 * ({@code tools/test-support}) are these processes where no Docker engine runs. The bench scripts write their
 * backlogs to such a broker through {@link dev.sextant.localservers.Backlog}.
 */
package dev.sextant.localservers;
