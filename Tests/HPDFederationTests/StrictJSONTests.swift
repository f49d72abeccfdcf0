import Foundation
import HPDFederation
import Testing

/// Hand-written JSON: syntax errors with line and column, unknown keys refused with a suggestion, wrong types named.
@Suite struct StrictJSONTests {
    struct Settings: Decodable, Equatable {
        var episodes: Int?
        var seeds: CommaList?
        var learningRate: Double?
    }
    let keys = ["episodes", "seeds", "learningRate"]

    func message(_ text: String) -> String {
        do {
            _ = try StrictJSON.decode(Settings.self, from: Data(text.utf8), file: "run.json", keys: keys)
            return "accepted"
        } catch { return "\(error)" }
    }

    @Test func aTypoIsRefusedWithTheClosestKnownKey() {
        #expect(message(#"{"episode": 30}"#).contains("unknown key 'episode' (did you mean 'episodes'?)"))
        #expect(message(#"{"learnigRate": 0.1}"#).contains("did you mean 'learningRate'"))
        #expect(
            message(#"{"colour": 1}"#).contains("unknown key 'colour'; known keys"),
            "no suggestion when nothing is near")
        #expect(
            message(#"[{"episodes": 1}, {"seed": 1}]"#).contains("entry 2: unknown key 'seed' (did you mean 'seeds'?)"))
    }

    @Test func aSyntaxErrorNamesItsLineAndColumn() {
        let text = message("{\n  \"episodes\": 30,\n  \"seeds\": x\n}")
        #expect(text.contains("run.json:3:") && text.contains("not valid JSON"), "\(text)")
    }

    @Test func aTrailingCommaIsASyntaxErrorAtTheComma() {
        #expect(message(#"{"seeds": [20, 25,]}"#).contains("run.json:1:18: not valid JSON (a trailing comma"))
        #expect(message("{\n  \"episodes\": 30,\n}").contains("run.json:2:17: not valid JSON (a trailing comma"))
        #expect(message(#"{"seeds": "20,]", "episodes": 3}"#) == "accepted", "a comma inside a string is text")
        #expect(message(#"{"seeds": "a\",}", "episodes": 3}"#) == "accepted", "an escaped quote does not end a string")
    }

    @Test func wrongTypesAndOutOfRangeNumbersNameTheField() {
        #expect(message(#"{"episodes": "thirty"}"#).contains("'episodes': expected a whole number"))
        #expect(message(#"{"episodes": 1e23}"#).contains("'episodes'"), "\(message(#"{"episodes": 1e23}"#))")
        #expect(message(#"{"seeds": {"a": 1}}"#).contains("'seeds'"))
    }

    @Test func listsAreAcceptedInEveryNaturalForm() throws {
        for (json, expected) in [
            (#"[20, 25]"#, "20,25"), ("20", "20"), (#""20,25""#, "20,25"), (#"["fedhpd", "nofed"]"#, "fedhpd,nofed"),
        ] {
            let settings = try StrictJSON.decode(
                Settings.self, from: Data(#"{"seeds": \#(json)}"#.utf8), file: "f", keys: keys)
            #expect(settings.seeds?.text == expected)
        }
    }

    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        #expect(StrictJSON.editDistance("kitten", "sitting") == 3)
        #expect(StrictJSON.editDistance("", "abc") == 3 && StrictJSON.editDistance("same", "same") == 0)
    }
}
