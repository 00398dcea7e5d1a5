package io.ballast.autoscale;

/** HPA's tolerance, per direction: a usage ratio within {@code [1 - down, 1 + up]} changes nothing. */
record Tolerances(double up, double down) {

    static Tolerances of(Policy policy) {
        double up = policy.tolerance();
        double down = policy.tolerance();
        if (policy.behavior() != null && policy.behavior().scaleUp() != null && policy.behavior().scaleUp().tolerance() != null) {
            up = policy.behavior().scaleUp().tolerance();
        }
        if (policy.behavior() != null && policy.behavior().scaleDown() != null && policy.behavior().scaleDown().tolerance() != null) {
            down = policy.behavior().scaleDown().tolerance();
        }
        return new Tolerances(up, down);
    }

    boolean isWithin(double ratio) {
        return (1.0 - down) <= ratio && ratio <= (1.0 + up);
    }
}
