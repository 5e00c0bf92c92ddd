import Knowledge
import Testing

@Test func imageReferenceSplitsRegistryRepositoryTagAndDigest() {
    let cuda = ImageReference("nvcr.io/nvidia/cuda:12.4.1-devel-ubuntu22.04")
    #expect(cuda.registry == "nvcr.io" && cuda.repositoryName == "nvidia/cuda" && cuda.tag == "12.4.1-devel-ubuntu22.04")
    let local = ImageReference("localhost:5000/Lab/Base:v3@sha256:ab")
    #expect(local.registry == "localhost:5000" && local.repositoryName == "lab/base" && local.tag == "v3" && local.digest == "sha256:ab")
    let hub = ImageReference("docker.io/library/ubuntu")
    #expect(hub.registry == nil && hub.repositoryName == "ubuntu" && hub.tag == nil && hub.digest == nil)
    let user = ImageReference("lab/base:1")
    #expect(user.registry == nil && user.repositoryName == "lab/base" && user.tag == "1")
}

@Test func imageReferenceOutsideASCIIKeepsAMarkedSeparatorInItsPart() {
    // ":\u{301}" is one character, not a colon: the text has no tag, as when every reference was read by characters.
    let marked = ImageReference("caf\u{E9}/base:\u{301}1")
    #expect(marked.tag == nil && marked.repositoryName == "caf\u{E9}/base:\u{301}1")
    let plain = ImageReference("caf\u{E9}/base:1")
    #expect(plain.tag == "1" && plain.repositoryName == "caf\u{E9}/base")
}
