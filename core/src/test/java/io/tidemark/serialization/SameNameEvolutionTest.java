package io.tidemark.serialization;

import static io.tidemark.serialization.Evolution.decode;
import static io.tidemark.serialization.Evolution.encode;
import static io.tidemark.serialization.Evolution.persisted;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One record class name, two definitions: v1 and v2 of {@code evo.Trade} are compiled into separate directories and
 * loaded by separate class loaders, as two deployments of an application would see them. State and snapshot written
 * under v1 must restore into v2.
 */
class SameNameEvolutionTest {

    private static final String V1 = "package evo; public record Trade(long price, int qty, String note) {}";
    private static final String V2 = "package evo; public record Trade(int qty, long price, String venue, Side side) {"
            + " public enum Side { BUY, SELL } }";

    @TempDir
    static Path dir;

    private static URLClassLoader v1Loader;
    private static URLClassLoader v2Loader;

    @BeforeAll
    static void compileBothVersions() throws IOException {
        v1Loader = compile(dir.resolve("v1"), V1);
        v2Loader = compile(dir.resolve("v2"), V2);
    }

    @AfterAll
    static void closeLoaders() throws IOException {
        v1Loader.close();
        v2Loader.close();
    }

    @Test
    void stateWrittenUnderV1IsReadIntoV2() throws Exception {
        Class<?> v1 = v1Loader.loadClass("evo.Trade");
        Class<?> v2 = v2Loader.loadClass("evo.Trade");
        assertThat(v1).isNotSameAs(v2);
        assertThat(v1.getName()).isEqualTo(v2.getName());

        StateSerializer<Object> v1Serializer = serializerFor(v1);
        Object trade =
                v1.getDeclaredConstructor(long.class, int.class, String.class).newInstance(12_345L, 7, "first fill");
        byte[] bytes = encode(v1Serializer, trade);
        SerializerSnapshot<Object> old = persisted(v1Serializer.snapshot(), v2Loader);

        SchemaCompatibility compatibility = old.resolveCompatibility(serializerFor(v2));

        assertThat(compatibility.isAfterMigration()).isTrue();
        assertThat(compatibility.reason())
                .contains("field 'note' removed")
                .contains("field 'venue' added (default null)")
                .contains("field 'side' added (default null)")
                .contains("fields reordered");
        assertThat(old.describe()).isEqualTo("record evo.Trade(price: long, qty: int, note: string)");
        assertMigrated(decode(old.restoreSerializer(), bytes), v2);
    }

    @Test
    void restoreWithoutResolveLoadsTheNewDefinitionThroughTheSnapshotClassLoader() throws Exception {
        Class<?> v1 = v1Loader.loadClass("evo.Trade");
        StateSerializer<Object> v1Serializer = serializerFor(v1);
        Object trade =
                v1.getDeclaredConstructor(long.class, int.class, String.class).newInstance(12_345L, 7, null);
        byte[] bytes = encode(v1Serializer, trade);
        SerializerSnapshot<Object> old = persisted(v1Serializer.snapshot(), v2Loader);

        assertMigrated(decode(old.restoreSerializer(), bytes), v2Loader.loadClass("evo.Trade"));
    }

    private static void assertMigrated(Object migrated, Class<?> v2) throws Exception {
        assertThat(migrated).isInstanceOf(v2);
        assertThat(v2.getMethod("price").invoke(migrated)).isEqualTo(12_345L);
        assertThat(v2.getMethod("qty").invoke(migrated)).isEqualTo(7);
        assertThat(v2.getMethod("venue").invoke(migrated)).isNull();
        assertThat(v2.getMethod("side").invoke(migrated)).isNull();
    }

    @SuppressWarnings("unchecked")
    private static StateSerializer<Object> serializerFor(Class<?> type) {
        return (StateSerializer<Object>) Serializers.forType(type);
    }

    private static URLClassLoader compile(Path out, String source) throws IOException {
        Path sourceFile = out.resolve("src/evo/Trade.java");
        Files.createDirectories(sourceFile.getParent());
        Files.writeString(sourceFile, source);
        Path classes = Files.createDirectories(out.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests need a JDK, not a JRE").isNotNull();
        StringWriter diagnostics = new StringWriter();
        Boolean ok = javac.getTask(
                        diagnostics,
                        null,
                        null,
                        List.of("--release", "17", "-d", classes.toString()),
                        null,
                        javac.getStandardFileManager(null, null, null).getJavaFileObjects(sourceFile))
                .call();
        assertThat(ok).as("javac: %s", diagnostics).isTrue();
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, SameNameEvolutionTest.class.getClassLoader());
    }
}
