package io.tidemark.backend.conformance;

import io.tidemark.serialization.SchemaCompatibility;
import io.tidemark.serialization.SerializerSnapshot;
import io.tidemark.serialization.StateSerializer;
import io.tidemark.serialization.StringSerializer;
import io.tidemark.state.AggregateFunction;
import java.io.DataInput;
import java.io.DataOutput;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Value types the conformance suite stores. */
public final class ConformanceTypes {
    private ConformanceTypes() {}

    /** Version 1 of a position record. */
    public record PositionV1(String symbol, long quantity) {}

    /** Version 2: {@code averagePrice} added, {@code symbol} kept, a different class name (records get renamed). */
    public record PositionV2(String symbol, long quantity, double averagePrice) {}

    /** Version 3: {@code quantity} changed type, which is refused. */
    public record PositionV3(String symbol, String quantity) {}

    /** A partition key, version 1. */
    public record AccountKeyV1(String account) {}

    /** The partition key with a field added: migrates, and hashes differently. */
    public record AccountKeyV2(String account, int desk) {}

    /** An enum: its hashCode is the object's identity, so it cannot be a partition key. */
    public enum Desk {
        RATES,
        FX
    }

    /** Immutable accumulator of {@link Average}. */
    public record Acc(long sum, long count) {}

    /** Average of longs with an immutable accumulator. */
    public static final class Average implements AggregateFunction<Long, Acc, Double> {
        @Override
        public Acc createAccumulator() {
            return new Acc(0, 0);
        }

        @Override
        public Acc add(Long value, Acc accumulator) {
            return new Acc(accumulator.sum() + value, accumulator.count() + 1);
        }

        @Override
        public Double getResult(Acc accumulator) {
            return accumulator.count() == 0 ? 0.0 : (double) accumulator.sum() / accumulator.count();
        }

        @Override
        public Acc merge(Acc a, Acc b) {
            return new Acc(a.sum() + b.sum(), a.count() + b.count());
        }
    }

    /** Sums longs in a list accumulator that it mutates in place. */
    public static final class MutableSum implements AggregateFunction<Long, List<Long>, Long> {
        @Override
        public List<Long> createAccumulator() {
            return new ArrayList<>();
        }

        @Override
        public List<Long> add(Long value, List<Long> accumulator) {
            accumulator.add(value);
            return accumulator;
        }

        @Override
        public Long getResult(List<Long> accumulator) {
            long sum = 0;
            for (long v : accumulator) {
                sum += v;
            }
            return sum;
        }

        @Override
        public List<Long> merge(List<Long> a, List<Long> b) {
            a.addAll(b);
            return a;
        }
    }

    /** A key class that inherits {@code Object.hashCode}: its hash differs in every JVM. */
    @SuppressWarnings("overrides") // deliberately: the identity hash is what this key type is for
    public static final class IdentityKey {
        final String name;

        public IdentityKey(String name) {
            this.name = name;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof IdentityKey key && key.name.equals(name);
        }

        @Override
        public String toString() {
            return "IdentityKey[" + name + "]";
        }
    }

    /** A custom serializer that does not reveal its type, as application serializers do not. */
    public static final class IdentityKeySerializer implements StateSerializer<IdentityKey> {
        @Override
        public int fixedLength() {
            return VARIABLE_LENGTH;
        }

        @Override
        public int write(IdentityKey value, MutableDirectBuffer buffer, int offset) {
            return StringSerializer.INSTANCE.write(value.name, buffer, offset);
        }

        @Override
        public IdentityKey read(DirectBuffer buffer, int offset, int length) {
            return new IdentityKey(StringSerializer.INSTANCE.read(buffer, offset, length));
        }

        @Override
        public SerializerSnapshot<IdentityKey> snapshot() {
            return new IdentityKeySnapshot();
        }
    }

    /** Snapshot of {@link IdentityKeySerializer}: one version, no content. */
    public static final class IdentityKeySnapshot implements SerializerSnapshot<IdentityKey> {
        public IdentityKeySnapshot() {}

        @Override
        public int currentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutput out) {}

        @Override
        public void readSnapshot(int readVersion, DataInput in, ClassLoader classLoader) {}

        @Override
        public StateSerializer<IdentityKey> restoreSerializer() {
            return new IdentityKeySerializer();
        }

        @Override
        public String describe() {
            return "identity key";
        }

        @Override
        public SchemaCompatibility resolveCompatibility(StateSerializer<IdentityKey> newSerializer) {
            return SchemaCompatibility.compatibleAsIs();
        }
    }
}
