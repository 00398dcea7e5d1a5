/** The event store: appends with expected version, reads, Merkle audit log, replay. Built by the event-store issue. */
package io.ballast.store;
