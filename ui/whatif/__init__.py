"""The what-if screen's parts: the sliders' playground, saved scenarios and their loaders."""
