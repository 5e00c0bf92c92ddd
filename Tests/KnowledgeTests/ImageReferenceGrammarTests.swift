import Knowledge
import Testing

@Test func imageReferenceGrammarAcceptsWhatEnginesAccept() {
    for reference in ["debian", "local/debian:12", "nvcr.io/nvidia/cuda:12.4.1-devel-ubuntu22.04", "localhost:5000/lab/base:v3",
                      "registry.example.com/a__b/c-d.e:1.0_rc", "debian@sha256:" + String(repeating: "ab", count: 32), "[::1]:5000/x"] {
        #expect(ImageReferenceGrammar.isValid(reference), "\(reference)")
    }
}

@Test func imageReferenceGrammarRefusesWhatEnginesRefuse() {
    for reference in ["", "--platform=linux/amd64", "Debian:12", "a b", "debian:", "debian:-x", "a//b", "/debian", "debian/",
                      "debian@sha256:abc", "a..b", "x:" + String(repeating: "1", count: 129), "$IMAGE", "debian:12\nRUN x"] {
        #expect(!ImageReferenceGrammar.isValid(reference), "\(reference)")
    }
}
