//! The LLM writer: outline, plans, code and fixes from a chat model, with strict parsing, bounded
//! correction turns, streamed progress, and token usage with cost per call.

use crate::client::Client;
use crate::config::{Config, Profile};
use crate::parse;
use crate::pricing::PriceTable;
use crate::prompts::{self, fill};
use crate::secret::{self, ApiKey, KeySource};
use crate::wire::{ChatRequest, Completion, Role, Schema, Turn};
use async_trait::async_trait;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use t2v_core::job::TokenUsage;
use t2v_core::layout::Finding;
use t2v_core::progress::Stage;
use t2v_core::writer::{
    Outline, SceneOutline, ScenePlan, Writer, WriterCtx, WriterReport, MAX_SCENES,
};
use t2v_core::{Error, Result, Topic};

/// The error tail sent to the fix step is at most this long.
const MAX_ERROR_CHARS: usize = 4000;

pub struct LlmWriter {
    pub(crate) profile: Profile,
    pub(crate) client: Client,
    /// The same endpoint with at most one retry, for the checks before a job.
    pub(crate) check_client: Client,
    pub(crate) key_source: Option<KeySource>,
    pub(crate) prices: PriceTable,
    pub(crate) extra_allowed: Vec<String>,
}

impl LlmWriter {
    pub fn new(
        profile: Profile,
        key: Option<(ApiKey, KeySource)>,
        config: &Config,
    ) -> Result<LlmWriter> {
        let (key, key_source) = match key {
            Some((k, s)) => (Some(k), Some(s)),
            None => (None, None),
        };
        let hint = secret::how_to_set(&profile);
        let client = Client::new(&profile, key.clone(), hint.clone())?;
        let quick = Profile {
            max_retries: profile.max_retries.min(1),
            timeout: profile.timeout.min(Duration::from_secs(30)),
            ..profile.clone()
        };
        let check_client = Client::new(&quick, key, hint)?;
        Ok(LlmWriter {
            extra_allowed: config.extra_allowed(profile.kind),
            prices: config.prices(),
            profile,
            client,
            check_client,
            key_source,
        })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    fn report_usage(&self, stage: Stage, req: &ChatRequest, c: &Completion, ctx: &WriterCtx) {
        let tokens = c.usage.unwrap_or_else(|| {
            // No usage from the server: estimate at four characters a token.
            let input: usize =
                req.system.len() + req.turns.iter().map(|t| t.content.len()).sum::<usize>();
            TokenUsage {
                input: (input / 4) as u64,
                output: (c.text.len() / 4) as u64,
            }
        });
        let cost_usd = self.prices.cost(&self.profile.model, tokens);
        (ctx.report)(WriterReport::Usage {
            stage,
            tokens,
            cost_usd,
        });
    }

    /// Asks until the reply parses, sending the problem back up to `parse_attempts` times in all.
    async fn ask<T>(
        &self,
        stage: Stage,
        what: &str,
        mut req: ChatRequest,
        format: &str,
        ctx: &WriterCtx,
        parse: impl Fn(&str) -> std::result::Result<T, String>,
    ) -> Result<T> {
        let attempts = self.profile.parse_attempts.max(1);
        let mut last = String::new();
        for n in 1..=attempts {
            let last_report = Mutex::new(Instant::now());
            let report = ctx.report.clone();
            let label = what.to_string();
            let progress = move |chars: usize| {
                let mut t = last_report.lock().unwrap_or_else(|e| e.into_inner());
                if t.elapsed() >= Duration::from_millis(700) {
                    *t = Instant::now();
                    report(WriterReport::Message(format!(
                        "{label}: receiving, about {} tokens so far",
                        chars / 4
                    )));
                }
            };
            let c = self.client.chat(what, &req, ctx, &progress).await?;
            self.report_usage(stage, &req, &c, ctx);
            match parse(&c.text) {
                Ok(v) => return Ok(v),
                Err(why) => {
                    let why = if c.truncated {
                        format!("{why} (the reply was cut off at the token limit; be more concise)")
                    } else {
                        why
                    };
                    tracing::warn!(writer = %self.profile.name, attempt = n, "{what}: {why}");
                    if n < attempts {
                        (ctx.report)(WriterReport::Message(format!(
                            "{what}: unusable reply ({why}); asking again ({} of {attempts})",
                            n + 1
                        )));
                    }
                    req.turns.push(Turn {
                        role: Role::Assistant,
                        content: c.text,
                    });
                    req.turns.push(Turn {
                        role: Role::User,
                        content: fill(prompts::CORRECT, &[("why", &why), ("format", format)]),
                    });
                    last = why;
                }
            }
        }
        Err(Error::Writer(format!(
            "{what}: {} gave no usable reply in {attempts} attempts; the last problem: {last}",
            self.profile.model
        )))
    }

    fn request(&self, user: String, schema: Option<Schema>, stream: bool) -> ChatRequest {
        ChatRequest {
            system: prompts::SYSTEM.trim().to_string(),
            turns: vec![Turn {
                role: Role::User,
                content: user,
            }],
            schema,
            stream,
        }
    }
}

fn sections(topic: &Topic) -> String {
    if topic.sections.is_empty() {
        return String::new();
    }
    let mut s = String::from("\nThe author suggests these parts:\n");
    for sec in &topic.sections {
        s.push_str(&format!("## {}\n{}\n", sec.heading, sec.body.trim()));
    }
    s
}

fn outline_list(o: &Outline) -> String {
    o.scenes
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {} — {}", i + 1, s.title, s.purpose))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The last `MAX_ERROR_CHARS` characters of an error output.
fn error_tail(error: &str) -> String {
    let chars: Vec<char> = error.trim().chars().collect();
    chars[chars.len().saturating_sub(MAX_ERROR_CHARS)..]
        .iter()
        .collect()
}

const JSON_FORMAT: &str = "one JSON object that follows the schema";
const CODE_FORMAT: &str = "the complete code in one ```python fenced block";

#[async_trait]
impl Writer for LlmWriter {
    fn name(&self) -> String {
        self.profile.name.clone()
    }

    fn model(&self) -> Option<String> {
        Some(self.profile.model.clone())
    }

    fn cache_key(&self) -> String {
        let p = &self.profile;
        format!(
            "llm-{}-{}-t{:.2}-m{}-prompts-{}-{}",
            p.kind.as_str(),
            p.model,
            p.temperature,
            p.max_tokens,
            prompts::VERSION,
            prompts::fingerprint()
        )
    }

    async fn check(&self, ctx: &WriterCtx) -> Result<()> {
        self.check_static()?;
        self.check_listing(ctx).await
    }

    async fn outline(&self, topic: &Topic, ctx: &WriterCtx) -> Result<Outline> {
        ctx.check_cancelled()?;
        let max = ctx.max_scenes.clamp(1, MAX_SCENES);
        let min = 3.min(max);
        let schema = prompts::outline_schema(min, max);
        let user = fill(
            prompts::OUTLINE,
            &[
                ("topic", &topic.title),
                ("description", topic.description.trim()),
                ("sections", &sections(topic)),
                ("min", &min.to_string()),
                ("max", &max.to_string()),
                ("schema", &schema.to_string()),
            ],
        );
        let req = self.request(
            user,
            Some(Schema {
                name: "outline",
                schema,
            }),
            false,
        );
        let o = self
            .ask(Stage::Planning, "outline", req, JSON_FORMAT, ctx, |r| {
                parse::outline(r, min, max)
            })
            .await?;
        Ok(Outline {
            topic: topic.title.clone(),
            scenes: o
                .scenes
                .into_iter()
                .map(|s| SceneOutline {
                    title: s.title.trim().to_string(),
                    purpose: s.purpose.trim().to_string(),
                    kind: t2v_core::model::plan::SceneKind::Free,
                })
                .collect(),
        })
    }

    async fn plan_scene(
        &self,
        topic: &Topic,
        outline: &Outline,
        index: usize,
        ctx: &WriterCtx,
    ) -> Result<ScenePlan> {
        ctx.check_cancelled()?;
        let scene = outline
            .scenes
            .get(index)
            .ok_or_else(|| Error::Internal(format!("no scene {} in the outline", index + 1)))?;
        let schema = prompts::plan_schema();
        let user = fill(
            prompts::PLAN,
            &[
                ("index", &(index + 1).to_string()),
                ("count", &outline.scenes.len().to_string()),
                ("topic", &topic.title),
                ("description", topic.description.trim()),
                ("outline", &outline_list(outline)),
                ("title", &scene.title),
                ("purpose", &scene.purpose),
                (
                    "math_objects",
                    if ctx.latex {
                        "MathTex"
                    } else {
                        "Text for formulas"
                    },
                ),
                ("schema", &schema.to_string()),
            ],
        );
        let req = self.request(
            user,
            Some(Schema {
                name: "scene_plan",
                schema,
            }),
            false,
        );
        let what = format!("plan of scene {}", index + 1);
        let p = self
            .ask(
                Stage::ImplementationPlanning,
                &what,
                req,
                JSON_FORMAT,
                ctx,
                parse::plan,
            )
            .await?;
        Ok(ScenePlan {
            index: index as u32 + 1,
            title: scene.title.clone(),
            storyboard: p.storyboard,
            technical_notes: p.technical_notes,
            narration: p.narration,
            data: serde_json::json!({"writer": self.profile.name, "model": self.profile.model}),
        })
    }

    async fn write_code(
        &self,
        topic: &Topic,
        plan: &ScenePlan,
        class_name: &str,
        ctx: &WriterCtx,
    ) -> Result<String> {
        ctx.check_cancelled()?;
        let (rule, _) = prompts::latex_rule(ctx.latex);
        let user = fill(
            prompts::CODE,
            &[
                ("index", &plan.index.to_string()),
                ("topic", &topic.title),
                ("title", &plan.title),
                ("storyboard", plan.storyboard.trim()),
                ("technical_notes", plan.technical_notes.trim()),
                ("narration", plan.narration.trim()),
                ("latex_rule", rule),
                ("class_name", class_name),
            ],
        );
        let req = self.request(user, None, true);
        let what = format!("code of scene {}", plan.index);
        self.ask(Stage::CodeGeneration, &what, req, CODE_FORMAT, ctx, |r| {
            parse::code(r, class_name)
        })
        .await
    }

    async fn fix_code(
        &self,
        topic: &Topic,
        plan: &ScenePlan,
        class_name: &str,
        code: &str,
        error: &str,
        attempt: u32,
        ctx: &WriterCtx,
    ) -> Result<String> {
        ctx.check_cancelled()?;
        let (_, rule) = prompts::latex_rule(ctx.latex);
        let user = fill(
            prompts::FIX,
            &[
                ("index", &plan.index.to_string()),
                ("title", &plan.title),
                ("topic", &topic.title),
                ("attempt", &attempt.to_string()),
                ("error", &error_tail(error)),
                ("code", code.trim_end()),
                ("class_name", class_name),
                ("latex_rule_short", rule),
            ],
        );
        let req = self.request(user, None, true);
        let what = format!("fix {attempt} of scene {}", plan.index);
        self.ask(Stage::SceneRendering, &what, req, CODE_FORMAT, ctx, |r| {
            parse::code(r, class_name)
        })
        .await
    }

    fn can_revise(&self) -> bool {
        true
    }

    async fn revise_code(
        &self,
        topic: &Topic,
        plan: &ScenePlan,
        class_name: &str,
        code: &str,
        instruction: &str,
        findings: &[Finding],
        ctx: &WriterCtx,
    ) -> Result<String> {
        ctx.check_cancelled()?;
        let (_, rule) = prompts::latex_rule(ctx.latex);
        let findings: Vec<String> = findings.iter().map(t2v_core::layout::describe).collect();
        let user = fill(
            prompts::REVISE,
            &[
                ("index", &plan.index.to_string()),
                ("title", &plan.title),
                ("topic", &topic.title),
                ("storyboard", plan.storyboard.trim()),
                ("technical_notes", plan.technical_notes.trim()),
                ("narration", plan.narration.trim()),
                ("findings", &findings.join("\n")),
                ("code", code.trim_end()),
                ("class_name", class_name),
                ("latex_rule_short", rule),
                // Last: the person's words are never read as placeholders.
                ("instruction", instruction.trim()),
            ],
        );
        let req = self.request(user, None, true);
        let what = format!("revision of scene {}", plan.index);
        self.ask(Stage::CodeGeneration, &what, req, CODE_FORMAT, ctx, |r| {
            parse::code(r, class_name)
        })
        .await
    }
}
