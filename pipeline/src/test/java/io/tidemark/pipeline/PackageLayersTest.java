package io.tidemark.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of the pipeline's production classes form layers with no cycle, and the market-stats example is a
 * leaf. Dependencies are read from the compiled classes' constant pools (class references, descriptors and generic
 * signatures), so a fully qualified name in code counts as much as an import.
 */
class PackageLayersTest {
    private static final String ROOT = "io.tidemark.pipeline";
    private static final Pattern CLASS_NAME = Pattern.compile("io/tidemark/pipeline/[\\w/$]+");

    /** Bottom to top: a package may depend only on packages of a lower layer. */
    private static final List<List<String>> LAYERS = List.of(
            List.of("function", "metrics"),
            List.of("queryable"),
            List.of("operator", "connectors"),
            List.of(""),
            List.of("runtime"),
            List.of("query", "shm"),
            List.of("status"),
            List.of("cli"),
            List.of("marketstats"));

    /** package → the packages it references, each with one example "from -> to" class pair. */
    private static Map<String, Map<String, String>> graph;

    @BeforeAll
    static void readClasses() throws IOException, URISyntaxException {
        Path classes = Path.of(Pipeline.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        assertThat(classes.resolve("io/tidemark/pipeline/Pipeline.class"))
                .as("compiled main classes")
                .exists();
        graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String from = className(classes.relativize(file).toString().replace('\\', '/'));
                if (!from.startsWith(ROOT)) {
                    continue;
                }
                Map<String, String> edges = graph.computeIfAbsent(packageOf(from), p -> new TreeMap<>());
                for (String to : referencedClasses(Files.readAllBytes(file))) {
                    String target = packageOf(to);
                    if (!target.equals(packageOf(from))) {
                        edges.putIfAbsent(target, from + " -> " + to);
                    }
                }
            }
        }
    }

    @Test
    void noPackageCycle() {
        List<List<String>> cycles = stronglyConnected().stream()
                .filter(component -> component.size() > 1)
                .toList();
        List<String> explained = new ArrayList<>();
        for (List<String> cycle : cycles) {
            for (String from : cycle) {
                for (String to : cycle) {
                    String example = graph.getOrDefault(from, Map.of()).get(to);
                    if (example != null) {
                        explained.add(example);
                    }
                }
            }
        }
        assertThat(cycles)
                .as("package cycles in pipeline's src/main, via %s", explained)
                .isEmpty();
    }

    @Test
    void dependenciesPointDownTheLayers() {
        Map<String, Integer> layerOf = new HashMap<>();
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String name : LAYERS.get(i)) {
                layerOf.put(name.isEmpty() ? ROOT : ROOT + "." + name, i);
            }
        }
        List<String> upward = new ArrayList<>();
        graph.forEach((from, edges) -> {
            assertThat(layerOf).as("layer of package %s", from).containsKey(from);
            edges.forEach((to, example) -> {
                if (layerOf.get(to) >= layerOf.get(from)) {
                    upward.add(example);
                }
            });
        });
        assertThat(upward).as("dependencies that do not point to a lower layer").isEmpty();
    }

    @Test
    void theExampleIsALeaf() {
        String example = ROOT + ".marketstats";
        List<String> users = new ArrayList<>();
        graph.forEach((from, edges) -> {
            if (edges.containsKey(example)) {
                users.add(edges.get(example));
            }
        });
        assertThat(users).as("generic code importing the market-stats example").isEmpty();
    }

    /** Tarjan's algorithm over the packages of {@link #graph}. */
    private static List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> components = new ArrayList<>();
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, index, low, stack, components);
            }
        }
        return components;
    }

    private static void connect(
            String node,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            List<List<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : graph.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                connect(next, index, low, stack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            List<String> component = new ArrayList<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }

    /** The pipeline classes named anywhere in a class file's constant pool. */
    static TreeSet<String> referencedClasses(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.skipBytes(8); // magic, minor, major
        int count = in.readUnsignedShort();
        TreeSet<String> names = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> {
                    Matcher m = CLASS_NAME.matcher(in.readUTF());
                    while (m.find()) {
                        names.add(className(m.group()));
                    }
                }
                case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag: tag=" + tag + ", index=" + i);
            }
        }
        return names;
    }

    private static String className(String internalName) {
        String name = internalName.endsWith(".class")
                ? internalName.substring(0, internalName.length() - ".class".length())
                : internalName;
        int nested = name.indexOf('$');
        return (nested < 0 ? name : name.substring(0, nested)).replace('/', '.');
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }
}
