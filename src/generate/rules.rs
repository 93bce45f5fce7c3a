//! The vocabulary of the synthetic world and the rule table: which kinds
//! each relation type joins, how often, and how it is worded.

use crate::model::Kind;
pub(super) const PORTFOLIOS: &[&str] = &[
    "Foreign Affairs",
    "Communication and Digital Affairs",
    "Trade",
    "Finance",
    "Defence",
    "Energy",
    "Industry",
    "Investment",
    "Education",
    "Health",
    "Transport",
    "Maritime Affairs",
];
pub(super) const ORG_FORMS: &[&str] = &[
    "Agency",
    "Authority",
    "Council",
    "Institute",
    "Commission",
    "Foundation",
    "Association",
    "Chamber of Commerce",
];
pub(super) const COMPANY_FORMS: &[&str] = &[
    "Holdings",
    "Networks",
    "Group",
    "Industries",
    "Energy",
    "Capital",
    "Telecom",
    "Logistics",
    "Systems",
    "Resources",
];
pub(super) const TOPICS: &[&str] = &[
    "digital economy",
    "cybersecurity",
    "5G networks",
    "artificial intelligence",
    "data protection",
    "semiconductors",
    "nickel processing",
    "renewable energy",
    "maritime security",
    "satellite communications",
    "e-government",
    "fintech",
    "critical minerals",
    "submarine cables",
    "digital talent",
    "smart cities",
    "food security",
    "health technology",
    "trade facilitation",
    "counter-terrorism",
];
pub(super) const AGREEMENT_FORMS: &[&str] = &[
    "Memorandum of Understanding on",
    "Framework Agreement on",
    "Joint Declaration on",
    "Letter of Intent on",
    "Treaty on",
    "Action Plan on",
];
pub(super) const EVENT_FORMS: &[&str] = &[
    "Summit on",
    "Ministerial Meeting on",
    "Business Forum on",
    "Working Group on",
    "Expo on",
];
pub(super) const PUBLISHERS: &[(&str, &str)] = &[
    ("ANTARA", "id"),
    ("Kompas", "id"),
    ("Tempo", "id"),
    ("Reuters", "en"),
    ("The Jakarta Post", "en"),
    ("Nikkei Asia", "en"),
    ("Kyodo", "ja"),
    ("NHK", "ja"),
    ("TASS", "ru"),
    ("Interfax", "ru"),
    ("The Hindu", "en"),
    ("PTI", "hi"),
    ("Company registry", "en"),
];
pub(super) const FILLERS: &[&str] = &[
    "The report cites two officials familiar with the discussions.",
    "The statement was published on the ministry's website the same day.",
    "Both sides said follow-up talks would take place within the year.",
    "The filing lists the date and the signatories in an annex.",
    "Photos from the ceremony were released by the press office.",
    "A spokesperson confirmed the details when asked by reporters.",
];

/// How a relation type is drawn: its weight among random relations, the
/// kinds at each end (with weights), and the roles it may carry.
pub(super) struct Rule {
    pub(super) name: &'static str,
    pub(super) weight: u32,
    pub(super) from: &'static [(Kind, u32)],
    pub(super) to: &'static [(Kind, u32)],
    pub(super) roles: &'static [&'static str],
    /// Evidence template: `{f}` and `{t}` are the ends' names, `{r}` the role.
    pub(super) says: &'static str,
}

use Kind::{Agreement, Company, Country, Event, Organization, Person, Place, Topic};

pub(super) const RULES: &[Rule] = &[
    Rule {
        name: "holds_position",
        weight: 10,
        from: &[(Person, 1)],
        to: &[(Organization, 1)],
        roles: &[
            "Minister",
            "Deputy Minister",
            "Director General",
            "Secretary General",
            "Spokesperson",
            "Chief of Staff",
        ],
        says: "{f} is named as {r} of {t}",
    },
    Rule {
        name: "member_of",
        weight: 6,
        from: &[(Person, 6), (Company, 2), (Country, 1)],
        to: &[(Organization, 1)],
        roles: &[],
        says: "{f} is listed among the members of {t}",
    },
    Rule {
        name: "works_for",
        weight: 14,
        from: &[(Person, 1)],
        to: &[(Company, 3), (Organization, 1)],
        roles: &["engineer", "analyst", "adviser", "manager", "counsel"],
        says: "{f} is described as working for {t}",
    },
    Rule {
        name: "represents",
        weight: 3,
        from: &[(Person, 1)],
        to: &[(Country, 2), (Organization, 1)],
        roles: &["delegate", "envoy", "negotiator"],
        says: "{f} spoke on behalf of {t}",
    },
    Rule {
        name: "ambassador_to",
        weight: 1,
        from: &[(Person, 1)],
        to: &[(Country, 1)],
        roles: &["Ambassador", "Chargé d'affaires"],
        says: "{f} presented credentials as envoy to {t}",
    },
    Rule {
        name: "head_of",
        weight: 2,
        from: &[(Person, 1)],
        to: &[(Organization, 3), (Company, 3), (Country, 1)],
        roles: &["President", "Chair", "Chief Executive", "Prime Minister"],
        says: "{f} is identified as {r} of {t}",
    },
    Rule {
        name: "part_of",
        weight: 3,
        from: &[(Organization, 1)],
        to: &[(Organization, 1)],
        roles: &[],
        says: "{f} operates under {t}",
    },
    Rule {
        name: "succeeded_by",
        weight: 1,
        from: &[(Organization, 1), (Company, 1)],
        to: &[(Organization, 1), (Company, 1)],
        roles: &[],
        says: "{f} was renamed or merged into {t}",
    },
    Rule {
        name: "located_in",
        weight: 8,
        from: &[(Company, 4), (Organization, 2), (Place, 1), (Event, 1)],
        to: &[(Place, 2), (Country, 1)],
        roles: &[],
        says: "{f} is registered at an address in {t}",
    },
    Rule {
        name: "signed",
        weight: 6,
        from: &[(Person, 1)],
        to: &[(Agreement, 1)],
        roles: &["signatory"],
        says: "{f} signed {t} at the ceremony",
    },
    Rule {
        name: "party_to",
        weight: 6,
        from: &[(Country, 2), (Organization, 2), (Company, 1)],
        to: &[(Agreement, 1)],
        roles: &[],
        says: "{f} is a party to {t}",
    },
    Rule {
        name: "witnessed",
        weight: 2,
        from: &[(Person, 1)],
        to: &[(Agreement, 2), (Event, 1)],
        roles: &["witness"],
        says: "{f} witnessed {t}",
    },
    Rule {
        name: "attended",
        weight: 6,
        from: &[(Person, 1)],
        to: &[(Event, 1)],
        roles: &["speaker", "delegate", "observer"],
        says: "{f} attended {t}",
    },
    Rule {
        name: "met_with",
        weight: 5,
        from: &[(Person, 1)],
        to: &[(Person, 1)],
        roles: &[],
        says: "{f} held a bilateral meeting with {t}",
    },
    Rule {
        name: "covers",
        weight: 4,
        from: &[(Agreement, 2), (Event, 1)],
        to: &[(Topic, 1)],
        roles: &[],
        says: "{f} deals with {t}",
    },
    Rule {
        name: "established",
        weight: 1,
        from: &[(Agreement, 1)],
        to: &[(Organization, 1)],
        roles: &[],
        says: "{f} set up {t}",
    },
    Rule {
        name: "proposed",
        weight: 1,
        from: &[(Person, 1), (Organization, 1)],
        to: &[(Agreement, 1)],
        roles: &[],
        says: "{f} put forward {t}, not yet signed",
    },
    Rule {
        name: "owns",
        weight: 5,
        from: &[(Company, 3), (Person, 1)],
        to: &[(Company, 1)],
        roles: &["majority shareholder", "sole owner", "minority shareholder"],
        says: "{f} is recorded as {r} of {t}",
    },
    Rule {
        name: "invests_in",
        weight: 4,
        from: &[(Company, 2), (Organization, 1)],
        to: &[(Company, 1)],
        roles: &[],
        says: "{f} announced an investment in {t}",
    },
    Rule {
        name: "director_of",
        weight: 8,
        from: &[(Person, 1)],
        to: &[(Company, 1)],
        roles: &["director", "non-executive director", "chair of the board"],
        says: "{f} is listed as {r} of {t}",
    },
    Rule {
        name: "cooperates_with",
        weight: 3,
        from: &[(Company, 2), (Organization, 2), (Country, 1)],
        to: &[(Company, 2), (Organization, 2), (Country, 1)],
        roles: &[],
        says: "{f} agreed to cooperate with {t}",
    },
    Rule {
        name: "agreed_to_establish",
        weight: 1,
        from: &[(Country, 2), (Organization, 1)],
        to: &[(Organization, 1)],
        roles: &[],
        says: "{f} agreed to set up {t}",
    },
    Rule {
        name: "announced",
        weight: 1,
        from: &[(Person, 1)],
        to: &[(Agreement, 2), (Event, 1)],
        roles: &["spokesperson"],
        says: "{f} made {t} public",
    },
    Rule {
        name: "discussed",
        weight: 3,
        from: &[(Event, 2), (Person, 1)],
        to: &[(Topic, 3), (Agreement, 1)],
        roles: &[],
        says: "{f} took up {t} in talks",
    },
    Rule {
        name: "mentioned",
        weight: 2,
        from: &[(Person, 1)],
        to: &[(Company, 2), (Organization, 1), (Topic, 1)],
        roles: &[],
        says: "{f} cited {t} in a statement",
    },
    Rule {
        name: "ready_to_work_in",
        weight: 1,
        from: &[(Company, 1)],
        to: &[(Country, 1)],
        roles: &[],
        says: "{f} was said to be ready to take on projects in {t}",
    },
];

/// The anchor relation that ties each entity to the graph: its rule, and
/// whether the entity is the `to` end.
pub(super) fn anchor(kind: Kind) -> (&'static str, bool) {
    match kind {
        Person => ("works_for", false),
        Organization => ("located_in", false),
        Company => ("located_in", false),
        Country => ("cooperates_with", false),
        Agreement => ("party_to", true),
        Event => ("located_in", false),
        Topic => ("covers", true),
        Place => ("located_in", false),
    }
}

pub(super) fn rule(name: &str) -> usize {
    RULES
        .iter()
        .position(|r| r.name == name)
        .expect("rule exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_cover_the_vocabulary_in_order() {
        let rules: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        let vocab: Vec<&str> = crate::model::VOCABULARY.iter().map(|v| v.0).collect();
        assert_eq!(rules, vocab);
    }
}
