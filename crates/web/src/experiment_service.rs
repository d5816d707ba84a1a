//! Who may see and do what with experiments and adoptions, and the views of
//! them that pages and API share.
