"""What every screen stands on: the engine and cached loaders, t(), number formatting, layout, sign-in, writes."""
