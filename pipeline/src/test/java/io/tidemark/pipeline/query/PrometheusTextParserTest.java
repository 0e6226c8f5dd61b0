package io.tidemark.pipeline.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test parser itself: it accepts well-formed families and refuses what a scrape must never contain. */
class PrometheusTextParserTest {
    @Test
    void parsesFamiliesOfEveryType() {
        Map<String, PrometheusTextParser.Family> families = PrometheusTextParser.parse(
                """
                # HELP a_total_things Things
                # TYPE a_total_things counter
                a_total_things_total{task="x#0"} 3.0
                # TYPE e_total counter
                e_total 4
                # TYPE b_bytes gauge
                b_bytes 1.5E9
                # TYPE c_seconds summary
                c_seconds{operator="o",quantile="0.5"} 0.001
                c_seconds_count{operator="o"} 2
                c_seconds_sum{operator="o"} 0.002
                # TYPE d histogram
                d_bucket{le="+Inf"} 1
                d_count 1
                d_sum NaN
                """);
        assertThat(families).containsOnlyKeys("a_total_things", "e_total", "b_bytes", "c_seconds", "d");
        assertThat(families.get("a_total_things").type()).isEqualTo("counter");
        assertThat(families.get("a_total_things").help()).isEqualTo("Things");
        assertThat(families.get("a_total_things").samples().get(0).labels()).containsEntry("task", "x#0");
        assertThat(families.get("b_bytes").samples().get(0).value()).isEqualTo(1.5e9);
        assertThat(families.get("c_seconds").samples()).hasSize(3);
    }

    @Test
    void refusesSamplesOutsideTheirFamily() {
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a counter\na 1\n"))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a_total counter\na 1\n"))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a gauge\na_total 1\n"))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a summary\na 1\n"))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> PrometheusTextParser.parse("a 1\n")).hasMessageContaining("before any TYPE");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a gauge\n# TYPE a gauge\n"))
                .hasMessageContaining("declared twice");
    }

    @Test
    void refusesMalformedLabelsAndValues() {
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a gauge\na{x=1} 1\n"))
                .hasMessageContaining("malformed labels");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n"))
                .hasMessageContaining("label repeated");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a gauge\na 0x10\n"))
                .hasMessageContaining("not a value");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE a gauge\na\n"))
                .hasMessageContaining("not a sample");
    }
}
