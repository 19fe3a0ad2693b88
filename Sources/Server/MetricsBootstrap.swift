import Metrics
import Prometheus

/// The process's Prometheus registry, bootstrapped once by the executable
/// (tests build many applications in one process and leave metrics alone).
public enum MetricsBootstrap {
    public static let registry = PrometheusCollectorRegistry()

    public static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}
