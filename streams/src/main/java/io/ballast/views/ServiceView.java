package io.ballast.views;

/**
 * What Ballast knows about a service now.
 *
 * @param explanation the last decision in one line: what it decided and which rules bounded it
 */
public record ServiceView(String service, Timed policy, Timed replicas, Timed lastDecision, String explanation) {
    public static ServiceView empty(String service) {
        return new ServiceView(service, null, null, null, null);
    }

    public ServiceView apply(ViewUpdate update) {
        return switch (update.part()) {
            case POLICY -> new ServiceView(service, Timed.newer(policy, update), replicas, lastDecision, explanation);
            case REPLICAS -> new ServiceView(service, policy, Timed.newer(replicas, update), lastDecision, explanation);
            case DECISION -> {
                Timed decision = Timed.newer(lastDecision, update);
                yield new ServiceView(service, policy, replicas, decision,
                        decision == lastDecision ? explanation : DecisionExplanation.of(decision.value()));
            }
            default -> throw new IllegalArgumentException(update.part() + " is not part of a service view");
        };
    }
}
