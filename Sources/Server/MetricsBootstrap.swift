import Metrics
import Prometheus

/// The process's Prometheus registry: the server's own metrics (ServerMetrics) and,
/// once the executable bootstraps it, any library's swift-metrics figures. Tests
/// give each application a registry of its own.
public enum MetricsBootstrap {
    public static let registry = PrometheusCollectorRegistry()

    public static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}
