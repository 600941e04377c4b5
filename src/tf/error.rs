//! Why a Terraform expression has no value: the errors Terraform would report, which `try` and
//! `can` observe. A limit reached, a spent budget or a reference cycle is not one of them: those
//! give unknown values, which `try` and `can` must not turn into a known fallback.
//!
//! Each error's text is the message rootguard shows for it (after "evaluation error: "), so the
//! texts are part of the output.

use std::fmt;

use crate::source::{ReadError, Span};

/// An operator given an operand of the wrong kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// `!x`: needs a boolean.
    Not,
    /// `-x`: needs a number.
    Negate,
    /// `&&`, `||`: need booleans.
    Logic,
    /// `+ - * / % < <= > >=`: need numbers.
    Arithmetic,
}

/// Why an expression has no value.
#[derive(Clone, Debug, PartialEq)]
pub enum EvalError {
    /// A conditional (`c ? a : b`) whose condition is of this kind, not a boolean.
    ConditionNotBool(&'static str),
    /// An operator given an operand of the wrong kind.
    Operand(Operator),
    /// `...` after a function argument that is not a list.
    ExpandNotList,
    /// A `for` expression over a value that is not a list, set or map.
    ForCollection,
    /// A `for` expression whose `if` clause is not a boolean.
    ForCondition,
    /// Two elements of a `for` expression (without `...`) with this key.
    DuplicateKey(String),
    /// A `%{if}` directive whose condition is not a boolean.
    IfDirective,
    /// A `%{for}` directive over a value that is not a collection.
    ForDirective,
    /// A null value interpolated into a string template.
    NullInTemplate,
    /// A value of this kind (a list, a mapping) interpolated into a string template.
    NotInterpolable(&'static str),
    /// `.NAME` of an object without that attribute.
    NoAttribute(String),
    /// `.NAME` of a value of this kind, which has no attributes.
    NotAnObject { attr: String, kind: &'static str },
    /// `[i]` of a list, with an index that is not a number.
    IndexNotNumber,
    /// `[i]` past the end of a list.
    IndexOutOfRange(f64),
    /// `[i]` of a list with an index Terraform refuses (HCL's "Invalid index"), written at `at`.
    /// Terraform's plan fails on it: rootguard reports it (see [`EvalError::report`]).
    InvalidIndex { why: BadIndex, at: Span },
    /// `[k]` of a map, with a key that is not a string.
    KeyNotString,
    /// `[k]` of a map without that key.
    NoKey(String),
    /// `[…]` of a value of this kind, which is neither a list nor a map.
    NotIndexable(&'static str),
    /// `var.NAME` of a variable the module does not declare.
    NoVariable(String),
    /// `local.NAME` of a local value the module does not define.
    NoLocal(String),
    /// `module.NAME.OUTPUT` of an output the called module does not declare.
    NoOutput { module: String, output: String },
    /// `var`, `local`, `each`, … alone, without the attribute that names a value.
    NeedsAttribute(String),
    /// `/` or `%` by zero.
    DivisionByZero,
    /// A binary operator the evaluator does not implement.
    UnsupportedOperator,
    /// `try` whose every argument failed.
    TryFailed,
    /// A function that refuses its arguments.
    Function(FunctionError),
    /// A file that `file`, `fileexists` or `templatefile` may not or could not read.
    File(FileError),
    /// A `templatefile` template that cannot be rendered.
    Template(TemplateError),
    /// A Terragrunt function that fails (`find_in_parent_folders` finding nothing, …).
    Terragrunt(super::terragrunt::TgError),
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::ConditionNotBool(kind) => write!(f, "the condition is a {kind}, not a boolean"),
            EvalError::Operand(Operator::Not) => f.write_str("`!` needs a boolean"),
            EvalError::Operand(Operator::Negate) => f.write_str("`-` needs a number"),
            EvalError::Operand(Operator::Logic) => f.write_str("`&&` and `||` need booleans"),
            EvalError::Operand(Operator::Arithmetic) => f.write_str("arithmetic needs numbers"),
            EvalError::ExpandNotList => f.write_str("`...` expands only a list"),
            EvalError::ForCollection => f.write_str("`for` needs a list, set or map"),
            EvalError::ForCondition => f.write_str("a `for` condition must be a boolean"),
            EvalError::DuplicateKey(key) => write!(f, "duplicate object key `{key}` in `for` expression"),
            EvalError::IfDirective => f.write_str("`%{if}` needs a boolean"),
            EvalError::ForDirective => f.write_str("`%{for}` needs a collection"),
            EvalError::NullInTemplate => f.write_str("a null value in a string template"),
            EvalError::NotInterpolable(kind) => write!(f, "a {kind} cannot be interpolated into a string"),
            EvalError::NoAttribute(attr) => write!(f, "no attribute `{attr}`"),
            EvalError::NotAnObject { attr, kind } => write!(f, "cannot read `.{attr}` of a {kind}"),
            EvalError::IndexNotNumber => f.write_str("a list index must be a number"),
            EvalError::IndexOutOfRange(i) => write!(f, "index {i} is out of range"),
            EvalError::InvalidIndex { why, .. } => write!(f, "invalid index: {why}"),
            EvalError::KeyNotString => f.write_str("a map key must be a string"),
            EvalError::NoKey(key) => write!(f, "no key `{key}`"),
            EvalError::NotIndexable(kind) => write!(f, "cannot index a {kind}"),
            EvalError::NoVariable(name) => write!(f, "no variable `{name}` is declared"),
            EvalError::NoLocal(name) => write!(f, "no local value `{name}`"),
            EvalError::NoOutput { module, output } => write!(f, "module `{module}` has no output `{output}`"),
            EvalError::NeedsAttribute(name) => write!(f, "`{name}` needs an attribute"),
            EvalError::DivisionByZero => f.write_str("division by zero"),
            EvalError::UnsupportedOperator => f.write_str("unsupported operator"),
            EvalError::TryFailed => f.write_str("no argument of `try` could be evaluated"),
            EvalError::Function(e) => e.fmt(f),
            EvalError::File(e) => e.fmt(f),
            EvalError::Template(e) => e.fmt(f),
            EvalError::Terragrunt(e) => e.fmt(f),
        }
    }
}

/// Why Terraform refuses a list index (HCL `ops.go`, `hcl.Index`; current HCL's details).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadIndex {
    /// `list[-1]`: HCL has no indexing from the end.
    Negative,
    /// `list[1.5]`.
    Fractional,
}

impl fmt::Display for BadIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BadIndex::Negative => "a negative number is not a valid index for a sequence",
            BadIndex::Fractional => "indexing a sequence requires a whole number, but the given index has a fractional part",
        })
    }
}

impl EvalError {
    /// Report an error that reached an attribute's value uncaught, when it is one of
    /// Terraform's own that rootguard reports (an invalid list index): an error diagnostic at
    /// the index, as Terraform's plan would fail there. Every other error only makes the value
    /// unknown.
    pub fn report(&self) {
        if let EvalError::InvalidIndex { why, at } = self {
            crate::limits::note(crate::parse::Diagnostic::error(
                *at,
                "invalid-index",
                format!(
                    "Invalid index: The given key does not identify an element in this collection value: {why}. Terraform rejects this configuration; rootguard takes the value as unknown"
                ),
            ));
        }
    }
}

impl std::error::Error for EvalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // the wrapped errors are shown as themselves: their source is this error's
        match self {
            EvalError::Function(e) => e.source(),
            EvalError::File(e) => e.source(),
            EvalError::Template(e) => e.source(),
            EvalError::Terragrunt(e) => e.source(),
            _ => None,
        }
    }
}

impl From<FunctionError> for EvalError {
    fn from(e: FunctionError) -> Self {
        EvalError::Function(e)
    }
}

impl From<FileError> for EvalError {
    fn from(e: FileError) -> Self {
        EvalError::File(e)
    }
}

impl From<super::terragrunt::TgError> for EvalError {
    fn from(e: super::terragrunt::TgError) -> Self {
        EvalError::Terragrunt(e)
    }
}

impl From<TemplateError> for EvalError {
    fn from(e: TemplateError) -> Self {
        EvalError::Template(e)
    }
}

/// Why a function refuses its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FunctionError {
    /// Fewer arguments than the function reads: it needs at least `count`.
    MissingArgument { function: String, count: usize },
    /// An argument of kind `got` where the function needs `expected` ("a string", "a list").
    ArgumentType {
        function: String,
        expected: &'static str,
        got: &'static str,
    },
    /// An argument that is not what the function needs (`what`: "a map", "numbers", …).
    Needs { function: String, what: &'static str },
    /// `length` of a value that is neither a collection nor a string.
    LengthOfScalar,
    /// `element` with an index that is not a whole number.
    ElementIndex,
    /// `element` of an empty list.
    ElementOfEmpty,
    /// `tonumber` of a string that is not a number.
    NotANumber(String),
    /// `jsondecode` of text that is not JSON: the parser's first message.
    InvalidJson(String),
    /// `yamldecode` of text that is not YAML.
    InvalidYaml,
    /// `format` with no argument (or, but for `%q`, no scalar argument) left for `verb`.
    FormatArgument { verb: char },
    /// `format` with a verb it does not implement (`None`: a `%` at the end).
    FormatVerb(Option<char>),
    /// `split` with an empty separator.
    EmptySeparator,
    /// `replace` of an empty substring.
    EmptyPattern,
    /// `lookup` of a key the map lacks, without a default.
    LookupMissing(String),
    /// `coalesce` without a non-null, non-empty argument.
    NothingToCoalesce,
    /// `zipmap` of lists of different lengths.
    ZipLengths,
    /// `range` with other than 1 to 3 arguments.
    RangeArity,
    /// `range` with a step of zero.
    RangeStep,
    /// `range` of more than 1024 elements.
    RangeTooLong,
    /// `one` of a list with more than one element.
    OneOfMany,
}

impl fmt::Display for FunctionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FunctionError::MissingArgument { function, count } => write!(f, "`{function}` needs at least {count} argument(s)"),
            FunctionError::ArgumentType { function, expected, got } => write!(f, "`{function}` needs {expected}, not a {got}"),
            FunctionError::Needs { function, what } => write!(f, "`{function}` needs {what}"),
            FunctionError::LengthOfScalar => f.write_str("`length` of a scalar"),
            FunctionError::ElementIndex => f.write_str("`element` index must be a number"),
            FunctionError::ElementOfEmpty => f.write_str("`element` of an empty list"),
            FunctionError::NotANumber(t) => write!(f, "`tonumber`: `{t}` is not a number"),
            FunctionError::InvalidJson(why) => write!(f, "`jsondecode`: {why}"),
            FunctionError::InvalidYaml => f.write_str("`yamldecode`: invalid YAML"),
            FunctionError::FormatArgument { verb: 'q' } => f.write_str("`format`: missing argument"),
            FunctionError::FormatArgument { .. } => f.write_str("`format`: missing or non-scalar argument"),
            FunctionError::FormatVerb(verb) => write!(f, "`format`: unsupported verb %{}", verb.unwrap_or(' ')),
            FunctionError::EmptySeparator => f.write_str("`split` with an empty separator"),
            FunctionError::EmptyPattern => f.write_str("`replace` of an empty string"),
            FunctionError::LookupMissing(key) => write!(f, "`lookup`: no key `{key}` and no default"),
            FunctionError::NothingToCoalesce => f.write_str("`coalesce`: no non-null, non-empty argument"),
            FunctionError::ZipLengths => f.write_str("`zipmap` lists differ in length"),
            FunctionError::RangeArity => f.write_str("`range` takes 1 to 3 numbers"),
            FunctionError::RangeStep => f.write_str("`range` step is zero"),
            FunctionError::RangeTooLong => f.write_str("`range` produces more than 1024 elements"),
            FunctionError::OneOfMany => f.write_str("`one` of a list with more than one element"),
        }
    }
}

impl std::error::Error for FunctionError {}

/// Why a file is not read for `file`, `fileexists` or `templatefile`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// An absolute path: rootguard reads only inside the scanned tree.
    Absolute(String),
    /// A relative path that leads outside the scanned tree.
    Outside(String),
    /// A path inside the tree that the confined reader refuses or cannot read.
    Unreadable { path: String, error: ReadError },
    /// A file read in a variable default or variable file, where only constants are evaluated.
    InVariable(String),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Absolute(path) => write!(f, "`{path}` is an absolute path; rootguard reads only inside the scanned tree"),
            FileError::Outside(path) => write!(f, "`{path}` is outside the scanned tree; rootguard reads only inside it"),
            FileError::Unreadable { path, error } => write!(f, "`{path}` {}", error.reason()),
            FileError::InVariable(path) => write!(f, "`file({path})` in a variable value"),
        }
    }
}

// `ReadError` (the reader's) does not implement `std::error::Error`: it is shown in the text
// and kept in the variant, not chained as a source.
impl std::error::Error for FileError {}

/// Why a `templatefile` template cannot be rendered (besides the errors of its expressions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateError {
    /// Nested deeper than the `depth` limit: not given to the parser.
    TooDeep,
    /// Not a template: the parser's error.
    Syntax(hcl_edit::parser::Error),
    /// `templatefile` in a variable default or variable file, where only constants are
    /// evaluated.
    InVariable,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::TooDeep => f.write_str("template nested too deeply"),
            TemplateError::Syntax(e) => write!(f, "template: {}", e.message()),
            TemplateError::InVariable => f.write_str("`templatefile` in a variable value"),
        }
    }
}

impl std::error::Error for TemplateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TemplateError::Syntax(e) => Some(e),
            TemplateError::TooDeep | TemplateError::InVariable => None,
        }
    }
}
