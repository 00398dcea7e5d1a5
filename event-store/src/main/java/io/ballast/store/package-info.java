/**
 * The event store: the whole history in RocksDB column families (global log, stream index, stream
 * metadata, type and time indexes, Merkle nodes, Kafka offsets, event ids), group-committed appends with
 * expected versions, reads, catch-up subscriptions, and checksummed records.
 */
package io.ballast.store;
