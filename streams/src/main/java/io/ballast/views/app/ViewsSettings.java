package io.ballast.views.app;

/** The topics the views read, and where undecodable records go. */
public record ViewsSettings(String policies, String replicas, String decisions, String nodes, String shards, String plans,
                            String deadLetters) {
}
