package io.tidemark.serialization;

import java.lang.reflect.Method;

/**
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, which needs {@code --add-exports
 * java.base/jdk.internal.misc=ALL-UNNAMED} in every JVM that uses its buffers. The parent POM's test flags do not carry
 * it yet, and core's POM is outside this package's ownership, so the tests add the export at run time through the
 * {@code --add-opens java.base/java.lang} the flags already grant. Remove this class once the flag is in
 * {@code tidemark.jvm.flags}.
 */
final class AgronaAccess {
    private AgronaAccess() {}

    /** Call from a test class's static initializer, before any Agrona buffer class is initialised. */
    static void ensure() {
        Module base = Object.class.getModule();
        if (base.isExported("jdk.internal.misc", AgronaAccess.class.getModule())) {
            return;
        }
        try {
            Method export = Module.class.getDeclaredMethod("implAddExportsToAllUnnamed", String.class);
            export.setAccessible(true);
            export.invoke(base, "jdk.internal.misc");
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "cannot export jdk.internal.misc for Agrona; run the tests with "
                            + "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                    e);
        }
    }
}
