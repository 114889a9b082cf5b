"""Text and structure out of documents, split into chunks, summarised without a model."""
