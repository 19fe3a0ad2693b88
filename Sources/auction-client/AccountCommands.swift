import ArgumentParser
import Foundation

/// Who: the username and where its password comes from, for `register` and `login`.
struct Credentials: ParsableArguments {
    @Argument(help: "The account's username.") var username: String
    @Option(help: "The password (else AUCTION_PASSWORD, else a line of stdin).") var password: String?

    /// The form both routes take.
    func form() throws -> [(String, String)] { [("username", username), ("password", try readPassword(password))] }
}

/// `auction-client register USERNAME`: creates an account.
struct Register: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create an account.")

    @OptionGroup var credentials: Credentials
    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingFailures {
            let body = try await APIClient(base: server.httpBase).send(.POST, "/account", form: try credentials.form())
            if output.json { return printJSON(body) }
            struct Account: Decodable { let id: Int64; let username: String }
            let account = try JSONDecoder().decode(Account.self, from: body)
            Terminal.line("registered \(Terminal.styled(account.username, .bold)) (id \(account.id))")
        }
    }
}

/// `auction-client login USERNAME`: gets a token and saves it for the other
/// subcommands (or prints it with `--print-token`, for `AUCTION_TOKEN`).
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Log in; the token is saved for the next commands (or printed with --print-token).")

    @OptionGroup var credentials: Credentials
    @Flag(help: "Print only the token, saving nothing: export AUCTION_TOKEN=$(auction-client login NAME --print-token).")
    var printToken = false
    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingFailures {
            let body = try await APIClient(base: server.httpBase).send(.POST, "/account/token", form: try credentials.form())
            struct Token: Decodable { let access_token: String }
            let token = try JSONDecoder().decode(Token.self, from: body).access_token
            if printToken { return Terminal.line(token) }
            let store = TokenStore()
            try store.save(token, for: server.httpBase)
            if output.json { return printJSON(body) }
            Terminal.line(
                "logged in as \(Terminal.styled(credentials.username, .bold)) on \(server.httpBase); token saved in \(store.file.path)")
        }
    }
}
