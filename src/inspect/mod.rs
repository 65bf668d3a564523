//! What a 政府网站 inspection (国办秘函〔2019〕19号) looks at, as libraries
//! the checks call: the official working-day calendar, the 国务院 主题分类
//! list, the link checker over built output, and the findings with their
//! HTML and JSON reports. Leaf modules: they import only utilities (the
//! report borrows the renderer's HTML escaper until the redesign moves it
//! into a utility module).

pub mod finding;
pub mod links;
pub mod report;
pub mod topics;
pub mod workdays;
