package io.tidemark.jmh.backend.flink;

import io.tidemark.ConfigurationException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * The task around a keyed state backend that a benchmark creates through Flink's {@code StateBackend} face. A backend
 * reads its task's execution config, user-code class loader and job id when it is created; those are answered, and
 * any other call of Flink's {@link Environment} throws a {@link ConfigurationException} naming the method, so a
 * backend that needs more of a task fails loudly instead of running on made-up answers.
 */
final class BenchmarkTaskEnvironment {
    private BenchmarkTaskEnvironment() {}

    static Environment create() {
        ExecutionConfig executionConfig = new ExecutionConfig();
        JobID jobId = new JobID();
        UserCodeClassLoader classLoader = new AppClassLoader();
        return (Environment) Proxy.newProxyInstance(
                Environment.class.getClassLoader(),
                new Class<?>[] {Environment.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getExecutionConfig" -> executionConfig;
                    case "getUserCodeClassLoader" -> classLoader;
                    case "getJobID" -> jobId;
                    case "toString" -> "BenchmarkTaskEnvironment";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw unsupported(method);
                });
    }

    private static ConfigurationException unsupported(Method method) {
        return new ConfigurationException(
                "the benchmark's task environment has no such part: method=Environment." + method.getName());
    }

    /** The class loader the benchmark runs in, as the task's user-code class loader. */
    private static final class AppClassLoader implements UserCodeClassLoader {
        @Override
        public ClassLoader asClassLoader() {
            return BenchmarkTaskEnvironment.class.getClassLoader();
        }

        @Override
        public void registerReleaseHookIfAbsent(String releaseHookName, Runnable releaseHook) {
            // the class loader lives as long as the benchmark JVM: nothing is ever released
        }
    }
}
