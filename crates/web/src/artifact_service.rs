//! Who may see and do what with artifacts, and the views of them that pages
//! and API share.
