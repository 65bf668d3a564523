//! A portal over member sites (DESIGN §9, issue 17). For now the contract
//! of the open-data export every site publishes ([`contract`]), shared
//! with its writer in `render::extra`.

pub mod contract;
