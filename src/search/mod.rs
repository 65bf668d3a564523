//! Chinese full-text search that runs in the browser. This part: the text
//! of a document as search sees it, and the tokenizer that the index and
//! `search.js` share.

pub mod text;
pub mod tokenize;

pub use text::plain_text;
pub use tokenize::{Fold, tokenize};
