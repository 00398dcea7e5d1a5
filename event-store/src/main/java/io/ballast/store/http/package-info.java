/** The event store's HTTP/JSON API and the service that runs the store with its Kafka sides. */
package io.ballast.store.http;
