package io.ballast.bench.report;

import java.util.List;

/**
 * One benchmark of a suite: its figures, each beside its reference. {@code E} is what the suite shares
 * between its benchmarks (a broker, a registry), started only if a selected benchmark needs it.
 */
public interface Bench<E> {
    /** The name {@code --only} selects it by, e.g. {@code autoscaler}. */
    String name();

    List<Figure> run(E environment, Scale scale) throws Exception;
}
