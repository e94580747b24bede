//! A kind's parameters as documentation: each `rule_file!` field's key, doc
//! comment and the values it takes, collected by the macro into the kind's
//! [`ParamDoc`] list. The doc comment on the field is the one place a
//! parameter is described; `copydesk rule ID` and the reference of kinds in
//! the README and `docs/kinds.md` are made from it.

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// One parameter of a kind, as its rule-file field declares it.
#[derive(Debug, Clone, Copy)]
pub struct ParamDoc {
    /// The key, as rule files write it (kebab-case).
    pub key: &'static str,
    /// The field's doc comment, one `#[doc]` line after another.
    pub raw_doc: &'static str,
    /// Describes the values the key takes.
    pub value_type: fn() -> String,
    /// A rule file of the kind must set it (no serde default, not optional).
    pub required: bool,
}

impl ParamDoc {
    /// The doc comment as text: the lines of a paragraph joined by spaces,
    /// paragraphs separated by a blank line. Empty for an undocumented field.
    pub fn doc(&self) -> String {
        let mut paragraphs: Vec<String> = Vec::new();
        let mut current = String::new();
        for line in self.raw_doc.lines() {
            let line = line.trim();
            if line.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
                continue;
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
        paragraphs.join("\n\n")
    }

    /// The values the key takes, in words ("number", "list of strings",
    /// "`safe`, `unsafe` or `none`").
    pub fn value_type(&self) -> String {
        (self.value_type)()
    }
}

/// A type a rule-file field may have, described for a reader of the rule
/// file. An enum of names implements it with [`param_enum!`](crate::param_enum).
pub trait ParamType {
    /// The type in words; `plural` for the items of a list.
    fn describe(plural: bool) -> String;
    /// A missing key is `None` rather than an error.
    const OPTIONAL: bool = false;
}

/// `T`'s description, for [`ParamDoc::value_type`].
pub fn type_of<T: ParamType>() -> String {
    T::describe(false)
}

fn noun(singular: &str, plural: bool) -> String {
    if plural {
        format!("{singular}s")
    } else {
        singular.to_string()
    }
}

impl ParamType for String {
    fn describe(plural: bool) -> String {
        noun("string", plural)
    }
}

impl ParamType for bool {
    fn describe(_: bool) -> String {
        "true or false".into()
    }
}

impl ParamType for f64 {
    fn describe(plural: bool) -> String {
        noun("number", plural)
    }
}

impl ParamType for usize {
    fn describe(plural: bool) -> String {
        noun("whole number", plural)
    }
}

impl<T: ParamType> ParamType for Vec<T> {
    fn describe(plural: bool) -> String {
        format!("{} of {}", noun("list", plural), T::describe(true))
    }
}

impl<T: ParamType> ParamType for Option<T> {
    fn describe(plural: bool) -> String {
        T::describe(plural)
    }
    const OPTIONAL: bool = true;
}

impl<T: ParamType> ParamType for toml::Spanned<T> {
    fn describe(plural: bool) -> String {
        T::describe(plural)
    }
}

impl ParamType for toml::map::Map<String, toml::Value> {
    fn describe(plural: bool) -> String {
        noun("table", plural)
    }
}

/// The names an enum's `Deserialize` accepts, as rule files write them:
/// "`a`, `b` or `c`".
pub fn one_of<'de, T: Deserialize<'de>>() -> String {
    let names = match T::deserialize(VariantProbe) {
        Err(Probed(names)) => names,
        Ok(_) => &[],
    };
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => "a name".into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Implement [`ParamType`] for an enum of names (unit variants), describing
/// it by the names its `Deserialize` accepts.
#[macro_export]
macro_rules! param_enum {
    ($ty:ty) => {
        impl $crate::check::ParamType for $ty {
            fn describe(_plural: bool) -> String {
                $crate::check::one_of::<$ty>()
            }
        }
    };
}

/// A deserializer that answers nothing: it only learns, through the error
/// it returns, which variant names an enum asks for.
struct VariantProbe;

#[derive(Debug)]
struct Probed(&'static [&'static str]);

impl std::fmt::Display for Probed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "variants {:?}", self.0)
    }
}

impl std::error::Error for Probed {}

impl de::Error for Probed {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Probed(&[])
    }
}

impl<'de> Deserializer<'de> for VariantProbe {
    type Error = Probed;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Probed> {
        Err(Probed(&[]))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Probed> {
        Err(Probed(variants))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// A field name in kebab-case, as rule files write it (`ignore_case` is
/// `ignore-case`); `N` is the name's length.
pub const fn kebab<const N: usize>(field: &str) -> [u8; N] {
    let bytes = field.as_bytes();
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = if bytes[i] == b'_' { b'-' } else { bytes[i] };
        i += 1;
    }
    out
}

/// The text of the `#[doc]` attributes among a field's attributes, each
/// given as `[...]`, one line each.
#[doc(hidden)]
#[macro_export]
macro_rules! __rule_file_doc {
    () => { "" };
    ([doc = $line:literal] $($rest:tt)*) => {
        concat!($line, "\n", $crate::__rule_file_doc!($($rest)*))
    };
    ([$($other:tt)*] $($rest:tt)*) => { $crate::__rule_file_doc!($($rest)*) };
}

/// Whether a field's attributes, each given as `[...]`, give it a serde
/// default.
#[doc(hidden)]
#[macro_export]
macro_rules! __rule_file_has_default {
    () => { false };
    ([serde($($inner:tt)*)] $($rest:tt)*) => {
        $crate::__rule_file_has_default!(@scan [$($rest)*] $($inner)*)
    };
    ([$($other:tt)*] $($rest:tt)*) => { $crate::__rule_file_has_default!($($rest)*) };
    (@scan [$($rest:tt)*]) => { $crate::__rule_file_has_default!($($rest)*) };
    (@scan [$($rest:tt)*] default $($inner:tt)*) => { true };
    (@scan [$($rest:tt)*] $first:tt $($inner:tt)*) => {
        $crate::__rule_file_has_default!(@scan [$($rest)*] $($inner)*)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    #[allow(dead_code)]
    enum Mode {
        Safe,
        NotSafe,
        None,
    }
    crate::param_enum!(Mode);

    #[test]
    fn types_read_as_words() {
        assert_eq!(type_of::<f64>(), "number");
        assert_eq!(type_of::<Option<usize>>(), "whole number");
        assert_eq!(type_of::<Vec<toml::Spanned<String>>>(), "list of strings");
        assert_eq!(
            type_of::<Vec<toml::Spanned<Vec<String>>>>(),
            "list of lists of strings"
        );
        assert_eq!(type_of::<Mode>(), "`safe`, `not-safe` or `none`");
    }

    crate::rule_file!(Sample {
        /// The first line.
        /// The second line.
        ///
        /// A second paragraph.
        #[serde(default)]
        ignore_case: bool,
        #[serde(alias = "renamed", default = "zero")]
        renamed_default: usize,
        needed_words: Vec<String>,
        maybe: Option<String>,
    });

    fn zero() -> usize {
        0
    }

    #[test]
    fn the_macro_collects_keys_docs_and_defaults() {
        let p = Sample::PARAMS;
        assert_eq!(p.len(), 4);
        assert_eq!(p[0].key, "ignore-case");
        assert_eq!(
            p[0].doc(),
            "The first line. The second line.\n\nA second paragraph."
        );
        assert_eq!(p[0].value_type(), "true or false");
        assert!(!p[0].required);
        assert!(!p[1].required, "a default after another serde key counts");
        assert_eq!(p[2].key, "needed-words");
        assert_eq!(p[2].doc(), "");
        assert!(p[2].required);
        assert!(!p[3].required, "an Option may be left out");
    }

    #[test]
    fn required_keys_are_the_ones_serde_requires() {
        let base = "kind = \"k\"\nseverity = \"note\"\nmessage = \"m\"\nwhy = \"w\"\n";
        assert!(Sample::parse(base).is_err(), "needed-words is required");
        let (_, file) =
            Sample::parse(&format!("{base}needed-words = [\"a\"]\nrenamed = 3\n")).unwrap();
        assert_eq!(file.needed_words, ["a"]);
        assert_eq!(file.renamed_default, 3);
        assert!(!file.ignore_case);
        assert!(file.maybe.is_none());
    }
}
