"""What a run leaves behind: the figure, the files, the headline table."""
