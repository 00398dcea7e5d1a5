package io.ballast.views.app;

import io.ballast.views.ViewUpdate;

/** A decoded event as a view update, or the bytes of one that could not be decoded (for the dead letter). */
record Routed(ViewUpdate update, byte[] raw) {
    boolean isDead() {
        return update == null;
    }
}
