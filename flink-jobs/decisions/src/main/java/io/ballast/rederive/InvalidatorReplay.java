package io.ballast.rederive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.ballast.events.CacheDependency;
import io.ballast.events.CacheInvalidation;
import io.ballast.events.EntityChange;
import io.ballast.events.InvalidatedKey;
import io.ballast.events.InvalidatedTag;
import io.ballast.invalidate.Change;
import io.ballast.invalidate.DependencyGraph;
import io.ballast.invalidate.Invalidation;
import io.ballast.invalidate.InvalidationRecords;
import io.ballast.invalidate.Node;
import io.ballast.invalidate.Registration;
import io.ballast.invalidate.Visit;
import org.apache.avro.specific.SpecificRecord;

/**
 * The invalidator's closure over the archived registrations, against the recorded invalidations. Which changes the job
 * coalesced into one invalidation depends on the wall clock, so the audit takes each recorded group (its change ids)
 * as made and checks the rest: that the group's version is the highest of its changes, that its changes are archived
 * changes of its entity, and that the keys and tags it invalidated, across the invalidations of every visited node,
 * are exactly the closure of the dependency graph as the registrations up to the group's time made it. Every archived
 * change the job would take (a valid one whose version is above its entity's last) must be in some group.
 * Registrations are folded in event-time order and expire at their event time plus their TTL (the job folds them as
 * read and expires them on its clock): a registration read late can move a key in or out of a closure.
 */
public final class InvalidatorReplay implements DecisionReplay {
    @Override
    public String name() {
        return "invalidator";
    }

    @Override
    public Set<Class<? extends SpecificRecord>> inputTypes() {
        return Set.of(CacheDependency.class, EntityChange.class);
    }

    @Override
    public Class<? extends SpecificRecord> decisionType() {
        return CacheInvalidation.class;
    }

    @Override
    public Run start(Consumer<Outcome> outcomes) {
        return new Check(outcomes);
    }

    /** A recorded group: the invalidations of one coalesced change, gathered, and the closure expected of it then. */
    private static final class Group {
        final String entity;
        final long version;
        final long at;
        final String firstId;
        final List<String> changeIds;
        final Set<String> keys = new TreeSet<>();
        final Set<String> tags = new TreeSet<>();
        final Set<String> expectedKeys = new TreeSet<>();
        final Set<String> expectedTags = new TreeSet<>();

        Group(CacheInvalidation first, List<Invalidation> expected) {
            entity = first.getEntity();
            version = first.getVersion();
            at = first.getEnvelope().getOccurredAt().toEpochMilli();
            firstId = first.getEnvelope().getEventId().toString();
            changeIds = List.copyOf(first.getChangeEventIds());
            expected.forEach(i -> {
                expectedKeys.addAll(i.keys());
                expectedTags.addAll(i.tags());
            });
        }

        void add(CacheInvalidation i) {
            i.getKeys().stream().map(InvalidatedKey::getKey).forEach(keys::add);
            i.getTags().stream().map(InvalidatedTag::getTag).forEach(tags::add);
        }
    }

    private static final class Check implements Run {
        private final Consumer<Outcome> outcomes;
        private final DependencyGraph graph = new DependencyGraph();
        private final Map<String, Registration> registered = new HashMap<>();
        private final PriorityQueue<Registration> expiring = new PriorityQueue<>((a, b) -> Long.compare(a.expiresAt(), b.expiresAt()));
        /** The archived changes the job would take, by event id, until a group names them. */
        private final Map<String, Change> uncovered = new LinkedHashMap<>();
        private final Map<String, Change> archived = new HashMap<>();
        private final Map<String, Long> highest = new HashMap<>();
        private final Map<String, Group> open = new LinkedHashMap<>();

        Check(Consumer<Outcome> outcomes) {
            this.outcomes = outcomes;
        }

        @Override
        public void input(ArchivedEvent e) {
            long at = e.occurredAt().toEpochMilli();
            advance(at);
            if (e.event() instanceof CacheDependency d) {
                List<Node> targets = InvalidationRecords.targets(d);
                if (!Registration.violations(d.getKey(), targets, d.getTtlSeconds()).isEmpty()) {
                    return;
                }
                Registration r = new Registration(d.getKey(), new java.util.HashSet<>(targets),
                        d.getTtlSeconds() == null ? Registration.NEVER : at + d.getTtlSeconds() * 1000);
                if (d.getWithdrawn() || r.expiredAt(at)) {
                    registered.remove(d.getKey());
                    graph.withdraw(d.getKey());
                } else {
                    registered.put(d.getKey(), r);
                    graph.register(r);
                    if (r.expiresAt() != Registration.NEVER) {
                        expiring.add(r);
                    }
                }
            } else if (e.event() instanceof EntityChange c && Change.violations(c.getEntity(), c.getVersion()).isEmpty()) {
                Change change = new Change(c.getEntity(), c.getVersion(), at, c.getEnvelope().getEventId().toString());
                archived.put(change.eventId(), change);
                // as the coalescer: a version not above the entity's last is refused or a redelivery, and invalidates nothing
                if (c.getVersion() > highest.getOrDefault(c.getEntity(), 0L)) {
                    highest.put(c.getEntity(), c.getVersion());
                    uncovered.put(change.eventId(), change);
                }
            }
        }

        @Override
        public void recorded(ArchivedEvent e) {
            CacheInvalidation i = (CacheInvalidation) e.event();
            advance(e.occurredAt().toEpochMilli());
            String key = i.getEntity() + "@" + i.getVersion();
            Group g = open.get(key);
            if (g == null) {
                List<Invalidation> expected = graph.close(new Visit(Node.entity(i.getEntity()), i.getEntity(), i.getVersion(),
                        e.occurredAt().toEpochMilli(), i.getChangeEventIds()));
                g = new Group(i, expected);
                open.put(key, g);
            }
            g.add(i);
        }

        /** Expires registrations due by {@code at} and checks the groups of earlier instants: all their invalidations are in. */
        private void advance(long at) {
            while (!expiring.isEmpty() && expiring.peek().expiresAt() <= at) {
                Registration r = expiring.poll();
                if (registered.get(r.key()) == r) {
                    registered.remove(r.key());
                    graph.withdraw(r.key());
                }
            }
            open.values().removeIf(g -> {
                if (g.at < at) {
                    check(g);
                    return true;
                }
                return false;
            });
        }

        private void check(Group g) {
            List<String> problems = new ArrayList<>();
            long highestOfChanges = 0;
            for (String id : g.changeIds) {
                Change c = archived.get(id);
                if (c == null || !c.entity().equals(g.entity)) {
                    problems.add("change " + id + " is not an archived change of " + g.entity);
                } else {
                    highestOfChanges = Math.max(highestOfChanges, c.version());
                }
                uncovered.remove(id);
            }
            if (problems.isEmpty() && highestOfChanges != g.version) {
                problems.add("its changes' highest version is " + highestOfChanges);
            }
            boolean matched = problems.isEmpty() && g.keys.equals(g.expectedKeys) && g.tags.equals(g.expectedTags);
            outcomes.accept(new Outcome(g.entity, java.time.Instant.ofEpochMilli(g.at).toString(), g.firstId, matched,
                    explain(g.version, g.keys, g.tags) + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")"),
                    explain(g.version, g.expectedKeys, g.expectedTags)));
        }

        @Override
        public void finish() {
            advance(Long.MAX_VALUE);
            uncovered.values().forEach(c -> outcomes.accept(new Outcome(c.entity(), java.time.Instant.ofEpochMilli(c.occurredAt()).toString(),
                    "", false, "no invalidation recorded for change " + c.eventId(), "v" + c.version() + " invalidates its closure")));
            uncovered.clear();
        }
    }

    static String explain(long version, Set<String> keys, Set<String> tags) {
        return "v" + version + ": keys " + keys + "; tags " + tags;
    }
}
