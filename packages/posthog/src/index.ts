// The public API of @patchbay/posthog. Reading (personal API key), capture (project API key), export, reports.
