/**
 * The tamper-evident side of the event store: an RFC 6962 Merkle log over the global log, inclusion and
 * consistency proofs, their offline verification, and signed tree heads. Plain classes (no RocksDB, no
 * Kafka): the store feeds them leaves and keeps their nodes.
 */
package io.ballast.audit;
