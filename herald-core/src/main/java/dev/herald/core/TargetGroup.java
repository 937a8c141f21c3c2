package dev.herald.core;

import java.util.List;
import java.util.function.Function;

/**
 * The subscribers of one channel that share a sink and an {@linkplain Subscriber#affinity() affinity}, at one
 * moment. Immutable and shared: the hub hands the same group to every publication until the channel's
 * membership changes, so what a sink derives from it ({@link #derived}) is computed once, not per publication.
 */
public final class TargetGroup {

    private final Object affinity;
    private final List<Subscriber> members;
    private volatile Object derived;

    TargetGroup(Object affinity, List<Subscriber> members) {
        this.affinity = affinity;
        this.members = List.copyOf(members);
    }

    public Object affinity() { return affinity; }

    /** Distinct subscribers, unmodifiable. */
    public List<Subscriber> members() { return members; }

    /**
     * What the sink derives from this group (e.g. its protocol's connection handles), computed on first use and
     * cached for the group's life. A sink must always use the same function; two threads may both compute it
     * once, and either result is kept.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Function<TargetGroup, T> derive) {
        Object value = derived;
        if (value == null) {
            value = derive.apply(this);
            derived = value;
        }
        return (T) value;
    }

    @Override
    public String toString() { return "TargetGroup[" + affinity + ", " + members.size() + " members]"; }
}
