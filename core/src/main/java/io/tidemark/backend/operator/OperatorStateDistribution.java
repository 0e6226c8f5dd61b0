package io.tidemark.backend.operator;

import java.util.ArrayList;
import java.util.List;

/** Which elements of a restored operator state go to which new instance. */
public final class OperatorStateDistribution {
    private OperatorStateDistribution() {}

    /**
     * The elements instance {@code index} of {@code parallelism} receives, given each old instance's elements in old
     * instance order.
     */
    public static <E> List<E> select(
            RedistributionMode mode, List<List<E>> perOldInstance, int index, int parallelism) {
        switch (mode) {
            case UNION: {
                List<E> all = new ArrayList<>();
                perOldInstance.forEach(all::addAll);
                return all;
            }
            case BROADCAST:
                return perOldInstance.isEmpty() ? List.of() : perOldInstance.get(0);
            default: {
                List<E> all = new ArrayList<>();
                perOldInstance.forEach(all::addAll);
                int n = all.size();
                int from = (int) ((long) index * n / parallelism);
                int to = (int) ((long) (index + 1) * n / parallelism);
                return new ArrayList<>(all.subList(from, to));
            }
        }
    }
}
