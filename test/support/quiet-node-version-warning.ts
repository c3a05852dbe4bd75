/**
 * jest setup file. The AWS SDK warns once per process that its releases after
 * January 2027 need Node >= 22; this machine and the supported range are Node
 * 20, so the warning is known and only buries test output. The SDK's own
 * switch turns it off for the suites and the processes they start; users'
 * pipelines still see it, where it is advice worth reading.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
