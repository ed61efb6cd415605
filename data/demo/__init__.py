"""The deterministic demo: the seed's CRM scorecard and users (:mod:`.catalog`), synthetic CRM data of any
size (:mod:`.generator`) and the demo portfolio of Six Sigma projects (:mod:`.projects`).
:mod:`data.bootstrap` seeds an empty database with it on the app's first start."""
