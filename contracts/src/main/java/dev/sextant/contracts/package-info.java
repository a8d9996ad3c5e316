/**
 * The event contracts: each Kafka topic's JSON Schema ({@code contracts/events/}), and {@link
 * dev.sextant.contracts.EventContracts}, with which producers' and consumers' tests check the records they write and
 * read. Test scope only.
 */
package dev.sextant.contracts;
