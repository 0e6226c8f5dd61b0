package io.tidemark.pipeline.cli;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of a user's job jar: child-first, so the classes and resources the jar bundles win over the
 * launcher's class path (a job may bundle another version of a library the launcher also uses, e.g. Jackson), except
 * for the parent-first packages below, which always come from the launcher. Those are the JDK's and the ones whose
 * types cross between the job and the engine: Tidemark's own ({@code io.tidemark.}: {@code PipelineProgram},
 * {@code Pipeline}, state and serializer types must be the launcher's classes, or the job's {@code PipelineProgram}
 * would be a different type from the one the launcher casts to) and Agrona's, whose buffers appear in the serializer
 * API. A jar that bundles Tidemark (a shaded jar) therefore still runs against the launcher's copy. A class in a
 * parent-first package that only the jar has is still found in the jar.
 *
 * <p>Threads: loads in parallel (registered as parallel capable). Closed by {@link JobJar#close()} after the job ends.
 */
final class JobClassLoader extends URLClassLoader {
    /** Class-name prefixes always loaded from the launcher first; resource prefixes are the same with '/'. */
    static final List<String> PARENT_FIRST =
            List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "io.tidemark.", "org.agrona.");

    static {
        ClassLoader.registerAsParallelCapable();
    }

    JobClassLoader(URL jar, ClassLoader parent) {
        super("tidemark-job", new URL[] {jar}, parent);
    }

    static boolean parentFirst(String className) {
        for (String prefix : PARENT_FIRST) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (parentFirst(name)) {
            return super.loadClass(name, resolve); // parent, then this jar
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = findClass(name);
                } catch (ClassNotFoundException notInJar) {
                    return super.loadClass(name, resolve);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        if (parentFirst(name.replace('/', '.'))) {
            return super.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (parentFirst(name.replace('/', '.'))) {
            return super.getResources(name);
        }
        List<URL> urls = new ArrayList<>(Collections.list(findResources(name)));
        ClassLoader parent = getParent();
        Enumeration<URL> inherited = parent != null
                ? parent.getResources(name)
                : ClassLoader.getSystemClassLoader().getResources(name);
        for (URL url : Collections.list(inherited)) {
            if (!urls.contains(url)) {
                urls.add(url);
            }
        }
        return Collections.enumeration(urls);
    }
}
