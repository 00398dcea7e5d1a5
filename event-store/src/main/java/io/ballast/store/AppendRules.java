package io.ballast.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the store takes: stream names without control characters and at most 512 characters, complete events under a size limit. */
final class AppendRules {
    private AppendRules() {
    }

    /** Throws {@link InvalidAppendException} saying what to fix. */
    static void check(String stream, List<NewEvent> events, int maxEventBytes) {
        refusal(stream, events, maxEventBytes).ifPresent(reason -> {
            throw new InvalidAppendException(reason);
        });
    }

    static Optional<String> refusal(String stream, List<NewEvent> events, int maxEventBytes) {
        Optional<String> name = nameRefusal(stream);
        if (name.isPresent()) {
            return name;
        }
        if (events.isEmpty()) {
            return Optional.of("no events to append to '" + stream + "'");
        }
        for (NewEvent e : events) {
            if (e.eventId() == null || e.type() == null || e.type().isBlank() || e.occurredAt() == null || e.data() == null) {
                return Optional.of("an event of '" + stream + "' lacks its id, type, time or data");
            }
            long bytes = bytes(e);
            if (bytes > maxEventBytes) {
                return Optional.of("event " + e.eventId() + " of '" + stream + "' is " + bytes + " bytes, over the limit of " + maxEventBytes);
            }
        }
        return Optional.empty();
    }

    static Optional<String> nameRefusal(String stream) {
        if (stream == null || stream.isBlank()) {
            return Optional.of("the stream name is empty: name the stream to append to");
        }
        if (hasControlCharacter(stream)) {
            return Optional.of("the stream name '" + stream.replaceAll("\\p{Cntrl}", "?") + "' has a control character");
        }
        if (stream.length() > StoreSettings.MAX_NAME_CHARS) {
            return Optional.of("the stream name has " + stream.length() + " characters, over " + StoreSettings.MAX_NAME_CHARS);
        }
        return Optional.empty();
    }

    // loops, not streams: the store's ingest checks every archived record (a stream pipeline per name cost ~15 % of it)
    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    static long bytes(NewEvent e) {
        long bytes = e.data().length;
        for (Map.Entry<String, byte[]> h : e.headers().entrySet()) {
            bytes += h.getKey().length() + h.getValue().length;
        }
        return bytes;
    }
}
