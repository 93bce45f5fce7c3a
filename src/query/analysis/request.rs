//! The analyses' requests, as [`crate::query::request`] has them for the
//! other queries: what a user asked for, as plain strings and numbers,
//! with the one set of defaults (`Default`), checked and resolved by
//! `validate_with(&Graph, &Limits, from_name)` under the front end's
//! [`Limits`]. The command line and the web's URL parameters both fill
//! these, so `rank`, `common`, `timeline` and `relations` have the same
//! options and answers everywhere.

use crate::error::QueryError;
use crate::graph::Graph;
use crate::query::request::{
    Limits, Paging, PathRequest, RequestError, Resolutions, TimeRequest, cap, resolve_noted,
};
use crate::query::{Filter, parse_kinds, parse_types};

use super::{ChronoQuery, CommonQuery, RankBy, RankQuery, RelationsQuery, check_time};

/// Entities a ranking lists unless asked otherwise.
pub const DEFAULT_RANK_LIMIT: usize = 20;
/// Common entities listed unless asked otherwise.
pub const DEFAULT_COMMON_LIMIT: usize = 100;
/// Relations a listing shows unless asked otherwise.
pub const DEFAULT_RELATIONS_LIMIT: usize = 100;

/// The filter of an analysis: kinds listed, relation types walked, time.
fn filter(
    g: &Graph,
    kinds: &[String],
    types: &[String],
    time: &TimeRequest,
    from_name: &str,
) -> Result<Filter, RequestError> {
    let time = time.filter(from_name)?;
    check_time(&time.time)?;
    Ok(Filter {
        kinds: parse_kinds("kind", kinds)?,
        types: parse_types(g, "type", types)?,
        ..time
    })
}

/// `rank` and `/rank`, `/api/rank`: entities ranked by a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankRequest {
    /// `degree`, `pagerank`, `betweenness` or `sum:COLUMN`.
    pub by: String,
    pub kinds: Vec<String>,
    pub types: Vec<String>,
    pub time: TimeRequest,
    /// The most entities listed; 0 for all (or the limit's most).
    pub limit: usize,
    /// Betweenness only: source entities drawn for an estimate (none:
    /// exact up to the size limit).
    pub samples: Option<usize>,
    /// Betweenness only: the seed of the draw.
    pub seed: u64,
}

impl Default for RankRequest {
    fn default() -> Self {
        RankRequest {
            by: "degree".to_string(),
            kinds: Vec::new(),
            types: Vec::new(),
            time: TimeRequest::default(),
            limit: DEFAULT_RANK_LIMIT,
            samples: None,
            seed: 1,
        }
    }
}

impl RankRequest {
    pub fn validate_with(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
    ) -> Result<RankQuery, RequestError> {
        let mut by = RankBy::parse("by", &self.by)?;
        match (&mut by, self.samples) {
            (_, Some(0)) => {
                return Err(QueryError::bad("samples", "must be at least 1").into());
            }
            (RankBy::Betweenness { samples, seed }, n) => {
                *samples = n;
                *seed = self.seed;
            }
            (_, Some(_)) => {
                return Err(
                    QueryError::bad("samples", "only a betweenness ranking is sampled").into(),
                );
            }
            (_, None) => {}
        }
        Ok(RankQuery {
            by,
            filter: filter(g, &self.kinds, &self.types, &self.time, from_name)?,
            limit: cap("limit", self.limit, limits.max_per_page)?,
        })
    }
}

/// `common` and `/common`, `/api/common`: what several entities share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommonRequest {
    /// Ids, names or aliases (repeated or comma-separated on the web).
    pub entities: Vec<String>,
    /// 1 or 2 hops.
    pub depth: u32,
    pub kinds: Vec<String>,
    pub types: Vec<String>,
    pub time: TimeRequest,
    /// The most entities listed; 0 for all (or the limit's most).
    pub limit: usize,
}

impl Default for CommonRequest {
    fn default() -> Self {
        CommonRequest {
            entities: Vec::new(),
            depth: 1,
            kinds: Vec::new(),
            types: Vec::new(),
            time: TimeRequest::default(),
            limit: DEFAULT_COMMON_LIMIT,
        }
    }
}

/// A checked [`CommonRequest`].
#[derive(Debug, Clone)]
pub struct CommonChecked {
    pub query: CommonQuery,
    /// How each given entity matched, in the order given.
    pub resolved: Resolutions,
}

impl CommonRequest {
    pub fn validate_with(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
    ) -> Result<CommonChecked, RequestError> {
        let args: Vec<&str> = self
            .entities
            .iter()
            .map(|e| e.trim())
            .filter(|e| !e.is_empty())
            .collect();
        if args.len() < 2 {
            return Err(QueryError::bad(
                "entities",
                format!(
                    "give at least two entities to find what they have in common ({} given)",
                    args.len()
                ),
            )
            .into());
        }
        if !(1..=2).contains(&self.depth) {
            return Err(QueryError::bad(
                "depth",
                format!("\"{}\" is not allowed: give 1 or 2", self.depth),
            )
            .into());
        }
        let filter = filter(g, &self.kinds, &self.types, &self.time, from_name)?;
        let limit = cap("limit", self.limit, limits.max_per_page)?;
        let mut resolved = Vec::new();
        let mut entities = Vec::with_capacity(args.len());
        for a in args {
            let e = resolve_noted(g, "entities", a, &mut resolved)?;
            if entities.contains(&e) {
                return Err(QueryError::bad(
                    "entities",
                    format!("\"{}\" is given twice", g.entity(e).id()),
                )
                .into());
            }
            entities.push(e);
        }
        Ok(CommonChecked {
            query: CommonQuery {
                entities,
                depth: self.depth,
                filter,
                limit,
            },
            resolved,
        })
    }
}

/// `timeline` and `/timeline/{id}`, `/api/timeline/{id}`: one entity's
/// relations in date order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRequest {
    pub entity: String,
    /// Kinds of the entities at the other end (empty: all).
    pub kinds: Vec<String>,
    pub types: Vec<String>,
    pub time: TimeRequest,
    /// The page of the timeline (dated relations, then undated).
    pub page: usize,
    pub per_page: usize,
}

impl Default for TimelineRequest {
    fn default() -> Self {
        TimelineRequest {
            entity: String::new(),
            kinds: Vec::new(),
            types: Vec::new(),
            time: TimeRequest::default(),
            page: 1,
            per_page: crate::query::request::DEFAULT_PER_PAGE,
        }
    }
}

/// A checked [`TimelineRequest`].
#[derive(Debug, Clone)]
pub struct TimelineChecked {
    pub entity: u32,
    pub filter: Filter,
    pub paging: Paging,
    pub resolved: Resolutions,
}

impl TimelineRequest {
    pub fn validate_with(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
    ) -> Result<TimelineChecked, RequestError> {
        let filter = filter(g, &self.kinds, &self.types, &self.time, from_name)?;
        let mut resolved = Vec::new();
        Ok(TimelineChecked {
            entity: resolve_noted(g, "entity", &self.entity, &mut resolved)?,
            filter,
            paging: Paging::checked(self.page, self.per_page, limits)?,
            resolved,
        })
    }
}

/// `relations` and `/relations`, `/api/relations`: relations by type,
/// role and time, a page at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelationsRequest {
    pub types: Vec<String>,
    /// A part of the role, ignoring case.
    pub role: String,
    pub time: TimeRequest,
    /// The most relations listed; 0 for the most allowed.
    pub limit: usize,
    pub offset: usize,
}

impl Default for RelationsRequest {
    fn default() -> Self {
        RelationsRequest {
            types: Vec::new(),
            role: String::new(),
            time: TimeRequest::default(),
            limit: DEFAULT_RELATIONS_LIMIT,
            offset: 0,
        }
    }
}

impl RelationsRequest {
    pub fn validate_with(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
    ) -> Result<RelationsQuery, RequestError> {
        let time = self.time.validate(from_name)?;
        check_time(&time)?;
        let most = limits
            .max_per_page
            .unwrap_or(super::relations::MAX_LIMIT)
            .min(super::relations::MAX_LIMIT);
        let limit = cap("limit", self.limit, Some(most))?;
        Ok(RelationsQuery {
            types: parse_types(g, "type", &self.types)?,
            role: self.role.trim().to_string(),
            time,
            limit,
            offset: self.offset,
        })
    }
}

impl PathRequest {
    /// The time-respecting path query of a `chronological` request: hop
    /// limit, undated hops, types, time and kinds not passed through. The
    /// options of shortest paths that a time-respecting path has no
    /// meaning for (`k`, `all`, `directed`, `avoid`) are refused rather
    /// than ignored.
    pub fn chrono_with(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
    ) -> Result<ChronoQuery, RequestError> {
        let other = if self.all {
            Some("all")
        } else if self.k.is_some_and(|k| k > 1) {
            Some("k")
        } else if self.directed {
            Some("directed")
        } else if self.avoid.iter().any(|a| !a.trim().is_empty()) {
            Some("avoid")
        } else {
            None
        };
        if let Some(param) = other {
            return Err(QueryError::bad(
                param,
                "a chronological path is one shortest time-respecting path; drop this option",
            )
            .into());
        }
        if self.allow_undated && !self.chronological {
            return Err(
                QueryError::bad("allow_undated", "applies to chronological paths only").into(),
            );
        }
        let max_hops = match self.max_hops {
            None => super::chrono::DEFAULT_MAX_HOPS.min(limits.max_hops.unwrap_or(u32::MAX)),
            Some(h) => {
                let max = limits.max_hops.unwrap_or(u32::MAX);
                if h == 0 || h > max {
                    return Err(QueryError::bad(
                        "max_hops",
                        format!("\"{h}\" is not allowed: give a whole number from 1 to {max}"),
                    )
                    .into());
                }
                h
            }
        };
        let time = self.time.validate(from_name)?;
        check_time(&time)?;
        Ok(ChronoQuery {
            max_hops,
            allow_undated: self.allow_undated,
            types: parse_types(g, "type", &self.types)?,
            time,
            exclude_kinds: parse_kinds("exclude_kind", &self.exclude_kinds)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::embedded;

    fn window(from: &str, until: &str) -> TimeRequest {
        TimeRequest {
            from: Some(from.into()),
            until: Some(until.into()),
            ..TimeRequest::default()
        }
    }

    #[test]
    fn rank_requests_check_the_measure_samples_and_window() {
        let g = embedded::graph();
        let ok = |r: RankRequest| r.validate_with(&g, &Limits::CLI, "--from");
        let q = ok(RankRequest {
            by: "betweenness".into(),
            samples: Some(7),
            seed: 9,
            ..RankRequest::default()
        })
        .unwrap();
        assert_eq!(
            q.by,
            RankBy::Betweenness {
                samples: Some(7),
                seed: 9
            }
        );
        assert_eq!(q.limit, DEFAULT_RANK_LIMIT);
        let e = ok(RankRequest {
            by: "betweenness".into(),
            samples: Some(0),
            ..RankRequest::default()
        })
        .unwrap_err();
        assert_eq!(e.param, "samples");
        let e = ok(RankRequest {
            samples: Some(3),
            ..RankRequest::default()
        })
        .unwrap_err();
        assert_eq!(e.param, "samples");
        let e = ok(RankRequest {
            by: "size".into(),
            ..RankRequest::default()
        })
        .unwrap_err();
        assert_eq!(e.param, "by");
        let e = ok(RankRequest {
            time: window("2025", "2024"),
            ..RankRequest::default()
        })
        .unwrap_err();
        assert_eq!(e.param, "until");
        // No cap on the command line; the web's page size on the web.
        let all = RankRequest {
            limit: 0,
            ..RankRequest::default()
        };
        assert_eq!(ok(all.clone()).unwrap().limit, 0);
        assert_eq!(
            all.validate_with(&g, &Limits::WEB, "from_date")
                .unwrap()
                .limit,
            500
        );
    }

    #[test]
    fn common_requests_need_two_different_entities_and_a_depth_of_one_or_two() {
        let g = embedded::graph();
        let r = |entities: &[&str], depth| CommonRequest {
            entities: entities.iter().map(|s| s.to_string()).collect(),
            depth,
            ..CommonRequest::default()
        };
        let check = |r: CommonRequest| r.validate_with(&g, &Limits::CLI, "--from");
        let e = check(r(&["komdigi"], 1)).unwrap_err();
        assert_eq!(e.param, "entities");
        assert!(e.message().contains("1 given"), "{e}");
        let e = check(r(&["komdigi", " "], 1)).unwrap_err();
        assert_eq!(e.param, "entities");
        let e = check(r(&["komdigi", "komdigi"], 1)).unwrap_err();
        assert!(e.message().contains("twice"), "{e}");
        assert_eq!(
            check(r(&["komdigi", "india"], 3)).unwrap_err().param,
            "depth"
        );
        let ok = check(r(&["komdigi", "india"], 2)).unwrap();
        assert_eq!(
            ok.query.entities,
            [
                g.entity_index("komdigi").unwrap(),
                g.entity_index("india").unwrap()
            ]
        );
        assert_eq!(ok.resolved.len(), 2);
    }

    #[test]
    fn relations_requests_are_bounded_by_the_front_end() {
        let g = embedded::graph();
        let r = RelationsRequest {
            limit: 0,
            ..RelationsRequest::default()
        };
        assert_eq!(
            r.validate_with(&g, &Limits::CLI, "--from").unwrap().limit,
            super::super::relations::MAX_LIMIT
        );
        assert_eq!(
            r.validate_with(&g, &Limits::WEB, "from_date")
                .unwrap()
                .limit,
            500
        );
        let big = RelationsRequest {
            limit: 501,
            ..RelationsRequest::default()
        };
        assert_eq!(
            big.validate_with(&g, &Limits::WEB, "from_date")
                .unwrap_err()
                .param,
            "limit"
        );
        let e = RelationsRequest {
            time: window("2025-02", "2025-01"),
            ..RelationsRequest::default()
        }
        .validate_with(&g, &Limits::CLI, "--from")
        .unwrap_err();
        assert_eq!(e.param, "until");
    }

    #[test]
    fn a_chronological_path_refuses_options_it_has_no_meaning_for() {
        let g = embedded::graph();
        let base = PathRequest {
            from: "komdigi".into(),
            to: "india".into(),
            chronological: true,
            ..PathRequest::default()
        };
        let q = base.chrono_with(&g, &Limits::WEB, "from_date").unwrap();
        assert_eq!(q.max_hops, super::super::chrono::DEFAULT_MAX_HOPS);
        assert!(!q.allow_undated);
        let all = PathRequest {
            all: true,
            ..base.clone()
        };
        assert_eq!(
            all.chrono_with(&g, &Limits::CLI, "--from")
                .unwrap_err()
                .param,
            "all"
        );
        let hops = PathRequest {
            max_hops: Some(13),
            ..base.clone()
        };
        assert_eq!(
            hops.chrono_with(&g, &Limits::WEB, "from_date")
                .unwrap_err()
                .param,
            "max_hops"
        );
        let undated = PathRequest {
            chronological: false,
            allow_undated: true,
            ..base
        };
        assert_eq!(
            undated
                .chrono_with(&g, &Limits::CLI, "--from")
                .unwrap_err()
                .param,
            "allow_undated"
        );
    }
}
