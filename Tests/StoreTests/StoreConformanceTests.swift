import Testing

/// The behaviour every `AuctionStore` must have, run against each `StoreBackend`.
/// The tests live in extensions, one file per area.
@Suite("AuctionStore conformance")
struct StoreConformanceTests {}
