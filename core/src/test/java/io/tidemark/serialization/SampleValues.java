package io.tidemark.serialization;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Value types and generators shared by the property tests. */
final class SampleValues {
    enum Side {
        BUY,
        SELL,
        HOLD
    }

    /** All primitive components: fixed length 8 + 4 + 8 + 1. */
    record Point(long x, int y, double z, boolean w) {}

    record Inner(long id, String label, Side side) {}

    record Outer(
            int n,
            Long boxed,
            String name,
            Inner inner,
            List<Inner> inners,
            Map<String, List<Long>> index,
            byte[] blob,
            List<Point> points) {}

    private SampleValues() {}

    /** Strings of valid code points, including supplementary ones, so UTF-8 round-trips exactly. */
    static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 0x7F)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoints.list().ofMaxSize(12).map(SampleValues::fromCodePoints);
    }

    static Arbitrary<Point> points() {
        return Combinators.combine(
                        Arbitraries.longs(), Arbitraries.integers(), Arbitraries.doubles(), Arbitraries.of(true, false))
                .as(Point::new);
    }

    static Arbitrary<Inner> inners() {
        return Combinators.combine(
                        Arbitraries.longs(),
                        strings().injectNull(0.2),
                        Arbitraries.of(Side.class).injectNull(0.2))
                .as(Inner::new);
    }

    static Arbitrary<Outer> outers() {
        return Combinators.combine(
                        Arbitraries.integers(),
                        Arbitraries.longs().injectNull(0.3),
                        strings().injectNull(0.2),
                        inners().injectNull(0.2),
                        inners().list().ofMaxSize(4).injectNull(0.1),
                        Arbitraries.maps(strings(), Arbitraries.longs().list().ofMaxSize(3))
                                .ofMaxSize(3)
                                .injectNull(0.1),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(8).injectNull(0.2),
                        points().list().ofMaxSize(3))
                .as(Outer::new);
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        for (int codePoint : codePoints) {
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }
}
