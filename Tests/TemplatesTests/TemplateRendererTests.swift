import Testing
@testable import Templates

private func render(_ text: String, _ values: [String: TemplateValue] = [:], includes: [String: String] = [:]) throws -> String {
    var templates = includes
    templates["main.tmpl"] = text
    return try TemplateRenderer(source: InMemoryTemplates(templates: templates)).render("main.tmpl", values: values)
}

@Test func valueTagInsertsText() throws {
    #expect(try render("FROM {{image}}\n", ["image": .text("debian:12")]) == "FROM debian:12\n")
}

@Test func standaloneBlockTagsTakeTheirLine() throws {
    let text = "a\n  {{#if on}}\nb\n  {{/if}}\nc\n"
    #expect(try render(text, ["on": .flag(true)]) == "a\nb\nc\n")
    #expect(try render(text, ["on": .flag(false)]) == "a\nc\n")
}

@Test func inlineConditionalKeepsTheLine() throws {
    #expect(try render("x{{#if on}} y{{else}} z{{/if}}\n", ["on": .flag(false)]) == "x z\n")
}

@Test func elifAndNegationChooseTheFirstTrueBranch() throws {
    let text = "{{#if a}}A{{#elif !b}}not B{{else}}other{{/if}}"
    #expect(try render(text, ["a": .flag(false), "b": .flag(false)]) == "not B")
    #expect(try render(text, ["a": .flag(false), "b": .flag(true)]) == "other")
}

@Test func eachRepeatsWithItemsAndRecordFields() throws {
    #expect(try render("{{#each xs}}[{{.}}]{{/each}}", ["xs": .list([.text("1"), .text("2")])]) == "[1][2]")
    let records: TemplateValue = .list([.record(["k": .text("a")]), .record(["k": .text("b")])])
    #expect(try render("{{#each rs}}{{k}};{{/each}}", ["rs": records]) == "a;b;")
}

@Test func includeRendersAnotherTemplateWithTheSameValues() throws {
    #expect(try render("1\n{{> part.tmpl}}\n3\n", ["v": .text("2")], includes: ["part.tmpl": "{{v}}\n"]) == "1\n2\n3\n")
}

@Test func commentsAreDropped() throws {
    #expect(try render("{{! why }}\nx\n") == "x\n")
}

@Test func missingValueIsAnErrorWithItsPosition() {
    #expect(throws: TemplateError(file: "main.tmpl", line: 2, column: 3, message: "no value named nope")) {
        try render("a\nb {{nope}}\n")
    }
}

@Test func unclosedIfIsAnError() {
    #expect(throws: TemplateError.self) { try render("{{#if a}}x") }
}

@Test func selfIncludeIsStoppedAtTheDepthLimit() {
    #expect(throws: TemplateError.self) { try render("{{> main.tmpl}}") }
}

@Test func missingIncludeIsReportedAtTheIncludeTag() {
    #expect(throws: TemplateError(file: "main.tmpl", line: 2, column: 1, message: "no template named gone.tmpl")) {
        try render("a\n{{> gone.tmpl}}\n")
    }
}
