package io.tidemark.pipeline.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: every sample belongs to the family whose
 * {@code # TYPE} line precedes it, with the sample names that type allows (names ending in {@code _total} for counters, the bare name
 * for gauges, {@code quantile}-labelled, {@code _count} and {@code _sum} for summaries, {@code _bucket}/{@code _count}/
 * {@code _sum} for histograms); a family is declared once; names, label syntax and values are checked. Anything else
 * throws {@link IllegalArgumentException} naming the line.
 */
final class PrometheusTextParser {
    /** One sample line. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** One metric family: its declared type and help and its samples, in order. */
    record Family(String name, String type, String help, List<Sample> samples) {}

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern TYPE =
            Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\",?");

    private PrometheusTextParser() {}

    static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> help = new LinkedHashMap<>();
        Family current = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                help.put(m.group(1), m.group(2));
            } else if ((m = TYPE.matcher(line)).matches()) {
                if (families.containsKey(m.group(1))) {
                    throw new IllegalArgumentException("family declared twice: line=" + line);
                }
                current = new Family(m.group(1), m.group(2), help.get(m.group(1)), new ArrayList<>());
                families.put(current.name(), current);
            } else if (line.startsWith("#")) {
                throw new IllegalArgumentException("unexpected comment: line=" + line);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                if (current == null) {
                    throw new IllegalArgumentException("sample before any TYPE: line=" + line);
                }
                Sample sample = new Sample(m.group(1), labels(m.group(3), line), value(m.group(4), line));
                checkName(current, sample, line);
                current.samples().add(sample);
            } else {
                throw new IllegalArgumentException("not a sample: line=" + line);
            }
        }
        return families;
    }

    private static void checkName(Family family, Sample sample, String line) {
        String base = family.name();
        String name = sample.name();
        boolean ok =
                switch (family.type()) {
                    // Prometheus text declares a counter by its sample name, which ends in _total; OpenMetrics by
                    // the name without it
                    case "counter" ->
                        (name.equals(base) && base.endsWith("_total"))
                                || name.equals(base + "_total")
                                || name.equals(base + "_created");
                    case "gauge", "untyped" -> name.equals(base);
                    case "summary" ->
                        (name.equals(base) && sample.labels().containsKey("quantile"))
                                || name.equals(base + "_count")
                                || name.equals(base + "_sum")
                                || name.equals(base + "_created");
                    case "histogram" ->
                        (name.equals(base + "_bucket") && sample.labels().containsKey("le"))
                                || name.equals(base + "_count")
                                || name.equals(base + "_sum")
                                || name.equals(base + "_created");
                    default -> false;
                };
        if (!ok) {
            throw new IllegalArgumentException("sample does not belong to its family: family=" + base + ", type="
                    + family.type() + ", line=" + line);
        }
    }

    private static Map<String, String> labels(String body, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return labels;
        }
        Matcher m = LABEL.matcher(body);
        int end = 0;
        while (m.find() && m.start() == end) {
            if (labels.put(m.group(1), m.group(2)) != null) {
                throw new IllegalArgumentException("label repeated: line=" + line);
            }
            end = m.end();
        }
        if (end != body.length()) {
            throw new IllegalArgumentException("malformed labels: line=" + line);
        }
        return labels;
    }

    private static double value(String text, String line) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!NUMBER.matcher(text).matches()) {
                    throw new IllegalArgumentException("not a value: line=" + line);
                }
                return Double.parseDouble(text);
        }
    }
}
