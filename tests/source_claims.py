"""What only the national account says: the nodes built from the foreign ministry's summary alone.

Read from seed A (data/sources/000_7733b509ce2f1b5a.txt) against seed B: every statement below is
made by the summary and by no UN document in the graph, so it must be an attributed claim of the
ministry. Paths are under https://w3id.org/cybercrime-kg/id/.
"""

from __future__ import annotations

NATIONAL_ACCOUNT_ONLY = frozenset(
    {
        # argument
        "argument/adapt-to-future-technology",
        "argument/budapest-closed-accession",
        "argument/budapest-needs-protocol",
        "argument/budapest-outdated",
        "argument/budapest-regional",
        "argument/budapest-widely-accepted",
        "argument/new-convention-lowers-standards",
        "argument/regional-then-global",
        "argument/un-most-representative",
        # delegation
        "delegation/CHN-eg4",
        # doc
        "doc/CHN-eg4-general-comments",
        "doc/CHN-eg4-statements",
        "doc/CHN-eg4-written-comments",
        # event
        "event/brics-push-eg3",
        "event/brics-workplan-draft",
        "event/chn-core-panellists",
        "event/chn-presents-legislation",
        "event/eg3-decision-substance",
        "event/eg4-adopts-workplan",
        "event/initiative-expert-group",
        "event/process-stalled",
        "event/study-completed",
        "event/study-mandate",
        "event/study-survey",
        # part
        "part/workplan-2018",
        "part/workplan-2019",
        "part/workplan-2020",
        # proposition
        "proposition/adopt-budapest",
        "proposition/budapest-gold-standard",
        "proposition/chn-comprehensive-approach",
        "proposition/chn-criminalization-proposals",
        "proposition/chn-cyber-sovereignty",
        "proposition/chn-legislation-proposals",
        "proposition/chn-model-law",
        "proposition/chn-recipient-will",
        "proposition/chn-shared-future-cyberspace",
        "proposition/coe-negotiating-protocol",
        "proposition/core-offences-criminalized",
        "proposition/criminalization-cooperation",
        "proposition/criminalize-terrorist-content-hate-speech",
        "proposition/cybersecurity-governance-perspective",
        "proposition/eg-established-2011",
        "proposition/eg-only-platform",
        "proposition/eg-platform-role",
        "proposition/eg2-no-outcome",
        "proposition/eliminate-safe-havens",
        "proposition/existing-law-applies",
        "proposition/holistic-approach",
        "proposition/human-rights-procedures",
        "proposition/legislation-convergence-divergence",
        "proposition/new-global-instrument",
        "proposition/new-stage",
        "proposition/new-technology-challenges",
        "proposition/separate-cybersecurity",
        "proposition/sovereign-separate-offences",
        "proposition/strengthen-domestic-measures",
        "proposition/study-option-global-instrument",
        "proposition/study-option-model-provisions",
        "proposition/study-option-technical-assistance",
        "proposition/technology-neutral-legislation",
        "proposition/workplan-from-brics",
        # provision
        "provision/study-proposes-options",
        "provision/workplan-annual-meetings",
        "provision/workplan-private-sector",
        # record
        "record/eg4-attendance-mfa",
        # stance
        "stance/eg4-advocate-global-instrument",
        "stance/eg4-all-parties-domestic-measures",
        "stance/eg4-all-parties-holistic-approach",
        "stance/eg4-all-parties-platform-role",
        "stance/eg4-all-states-criminalization-practice",
        "stance/eg4-all-states-new-technologies",
        "stance/eg4-all-states-safe-havens",
        "stance/eg4-chn-comprehensive-approach",
        "stance/eg4-chn-criminalization-proposals",
        "stance/eg4-chn-cyber-sovereignty",
        "stance/eg4-chn-legislation-proposals",
        "stance/eg4-chn-model-law",
        "stance/eg4-chn-recipient-will",
        "stance/eg4-chn-shared-future-cyberspace",
        "stance/eg4-coe-additional-protocol",
        "stance/eg4-criminalize-terrorist-content-hate-speech",
        "stance/eg4-developed-separate-cybersecurity",
        "stance/eg4-developing-cybersecurity-governance",
        "stance/eg4-europe-adopt-budapest",
        "stance/eg4-europe-gold-standard",
        "stance/eg4-europe-no-new-convention",
        "stance/eg4-existing-law-applies",
        "stance/eg4-human-rights-procedures",
        "stance/eg4-rebut-gold-standard",
        "stance/eg4-sovereign-separate-offences",
        "stance/eg4-technology-neutral-legislation",
    }
)
