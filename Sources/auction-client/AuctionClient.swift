import ArgumentParser

/// The command-line client: watch a lot's events (the default, as the original
/// client), and register, log in, list lots and bid over the HTTP API.
@main
struct AuctionClient: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auction-client",
        abstract: "Watch lots live, and register, log in, list lots and bid.",
        subcommands: [Watch.self, Register.self, Login.self, Lots.self, Bid.self],
        defaultSubcommand: Watch.self)
}
