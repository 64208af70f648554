/// `{"result": {"success": …} or {"failure": …}, "seconds": …, "worker": …}`: an outcome crosses
/// a process boundary or lands in a report intact.
extension JobOutcome: Codable {
    private enum CodingKeys: String, CodingKey { case result, seconds, worker }
    private enum ResultKeys: String, CodingKey { case success, failure }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let result = try container.nestedContainer(keyedBy: ResultKeys.self, forKey: .result)
        if let failure = try result.decodeIfPresent(JobFailure.self, forKey: .failure) {
            self.result = .failure(failure)
        } else {
            self.result = .success(try result.decode(Output.self, forKey: .success))
        }
        seconds = try container.decode(Double.self, forKey: .seconds)
        worker = try container.decodeIfPresent(Int.self, forKey: .worker)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var nested = container.nestedContainer(keyedBy: ResultKeys.self, forKey: .result)
        switch result {
        case .success(let value): try nested.encode(value, forKey: .success)
        case .failure(let failure): try nested.encode(failure, forKey: .failure)
        }
        try container.encode(seconds, forKey: .seconds)
        try container.encodeIfPresent(worker, forKey: .worker)
    }
}
