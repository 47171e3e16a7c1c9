"""GitHub Linguist 7.22.1's data, reduced to what a path-only source filter needs.

Generated from Linguist's ``languages.yml`` (extensions and file names, split by
language type), ``vendor.yml``, ``documentation.yml`` and the content-free part
of ``generated.rb`` (MIT licence, GitHub Inc.). :mod:`oshealth.linguist` applies it.
"""

from __future__ import annotations

#: Extensions (lower case) whose languages are all programming or markup, from languages.yml.
SOURCE_EXTENSIONS = frozenset(
    """
    .1in .1m .1x .3in .3m .3p .3pm .3qt .3x .4dm .4gl .4th .6pl .6pm .8xk .8xk.txt .8xp .8xp.txt ._coffee
    ._js ._ls .a51 .abap .ada .adb .ado .adp .ads .agc .agda .ahk .ahkl .aidl .aj .al .als .ampl
    .angelscript .antlers.html .antlers.php .antlers.xml .apib .apl .app.src .applescript .arc .as .asax
    .ascx .asd .asddls .ash .ashx .asl .asm .asmx .asp .aspx .astro .au3 .aug .auk .aux .aw .awk .axd .axi
    .axi.erb .axs .axs.erb .b .bal .bas .bash .bat .bats .bb .bbx .bdy .be .befunge .bf .bi .bib .bibtex
    .bicep .bison .blade .blade.php .bmx .bones .boo .boot .bpl .bro .brs .bs .bsl .bsv .builder .bzl .c
    .c++ .cairo .cake .capnp .cats .cbl .cbx .cc .ccp .cdc .cdf .cds .ceylon .cfc .cfm .cfml .cgi .cginc .ch
    .chem .chpl .chs .cirru .cjs .cjsx .ck .cl .cl2 .clar .click .clj .cljc .cljs .cljs.hl .cljscm .cljx
    .clp .cls .clw .cmake .cmake.in .cmd .cnc .cob .cobol .cocci .coffee .coffee.md .com .command .coq .cp
    .cpp .cps .cpy .cr .cs .csc .csd .csh .cshtml .css .csx .ctp .cts .cu .cuh .curry .cw .cwl .cxx .cy .d
    .dart .dats .db2 .dcl .decls .dfm .dfy .dhall .di .djs .dlm .dm .do .dockerfile .doh .dpr .druby .dsl
    .dtx .duby .dwl .dyalog .dyl .dylan .e .ebuild .ec .ecl .eclass .eclxml .ecr .ect .eex .eh .ejs .ejs.t
    .el .eliom .eliomi .elm .em .emacs .emacs.desktop .emberscript .env .eps .epsi .eq .erb .erb.deface .erl
    .es .es6 .escript .ex .exs .eye .f .f03 .f08 .f77 .f90 .f95 .factor .fan .fancypack .fcgi .feature .fish
    .flex .flux .fnc .fnl .forth .fp .fpp .frag .frg .frm .frt .frx .fs .fsh .fshader .fsi .fst .fsti .fsx
    .fth .ftl .fun .fut .fx .fxh .fy .g .g4 .gaml .gap .gawk .gco .gcode .gd .gdb .gdbinit .gemspec .geo
    .geom .gf .gi .gleam .glf .glsl .glslf .glslv .gms .gnu .gnuplot .go .god .golo .gp .grace .groovy .grt
    .gs .gsc .gsh .gshader .gsp .gsx .gtpl .gvy .gyp .gypi .h .h++ .hack .haml .haml.deface .handlebars
    .hats .hb .hbs .hc .hcl .hh .hhi .hic .hlean .hlsl .hlsli .hoon .hpp .hqf .hql .hrl .hs .hs-boot .hsc
    .hta .htm .html .html.heex .html.hl .html.leex .hx .hxsl .hxx .hy .i .i3 .i7x .iced .icl .idc .idr .ig
    .ihlp .ijm .ijs .ik .ily .inl .ino .ins .intr .io .iol .ipf .ipp .ipynb .isl .iss .ixx .j .j2 .jade
    .jake .janet .jav .java .javascript .jbuilder .jflex .jinja .jinja2 .jison .jisonlex .jl .jq .js .js.erb
    .jsb .jscad .jsfl .jslib .jsm .jsonnet .jsp .jspre .jss .jst .jsx .kak .kid .kit .kojo .krl .ksh .ksy
    .kt .ktm .kts .kv .l .lagda .las .lasso .lasso8 .lasso9 .latte .lbx .lean .less .lex .lfe .lgt .lhs
    .libsonnet .lid .lidr .ligo .linq .liquid .lisp .litcoffee .ll .lmi .logtalk .lol .lookml .lpr .ls .lsl
    .lslp .lsp .ltx .lua .lvclass .lvlib .lvproj .ly .m .m2 .m3 .m4 .ma .mak .make .makefile .mako .man .mao
    .marko .mata .matah .mathematica .matlab .mawk .maxhelp .maxpat .maxproj .mcfunction .mcr .mdoc .me
    .metal .mg .minid .mint .mirah .mjs .mk .mkfile .mkii .mkiv .mkvi .ml .ml4 .mli .mligo .mlir .mll .mly
    .mmk .mms .mo .model.lkml .monkey .monkey2 .moo .moon .move .mpl .mps .mq4 .mq5 .mqh .mrc .ms .msd
    .mspec .mss .mt .mtml .mts .mu .mud .muf .mumps .mustache .mxt .myt .n .nas .nasl .nasm .nawk .nbp .nc
    .ne .nearley .nf .ni .nim .nim.cfg .nimble .nimrod .nims .nit .nix .njk .njs .nlogo .nomad .nqp .nr .nse
    .nsh .nsi .nss .nu .numpy .numpyw .numsc .nut .ny .ol .omgrofl .ooc .opa .opal .opencl .orc .os .ox .oxh
    .oxo .oxygene .oz .p .p4 .p6 .p6l .p6m .p8 .pac .pan .parrot .pas .pascal .pasm .pat .pb .pbi .pck .pcss
    .pd_lua .pde .pegjs .pep .per .perl .pfa .pgsql .ph .php .php3 .php4 .php5 .phps .phpt .phtml .pic .pig
    .pike .pir .pkb .pks .pl .pl6 .plb .plot .pls .plsql .plt .plx .pm6 .pml .pmod .podsl .podspec .pogo
    .pony .por .postcss .pov .pp .pprx .prawn .prg .pri .prolog .prw .ps .ps1 .psc .psd1 .psgi .psm1 .pug
    .purs .pwn .pxd .pxi .py .py3 .pyde .pyi .pyp .pyt .pyw .pyx .q .qasm .qbs .ql .qll .qml .qs .r .r2 .r3
    .rabl .rake .raku .rakumod .raml .razor .rb .rbbas .rbfrm .rbi .rbmnu .rbres .rbtbar .rbuild .rbuistate
    .rbw .rbx .rbxs .rchit .rd .re .reb .rebol .red .reds .rego .rei .religo .rex .rexx .rg .rhtml .ring
    .riot .rkt .rktd .rktl .rl .rmiss .rnh .rno .robot .rockspec .roff .rpgle .rpy .rs.in .rsc .rsh .rsx
    .rtf .ru .ruby .s .sage .sagews .sas .sass .sats .sbt .sc .scad .scala .scaml .sce .sci .scm .sco .scpt
    .scrbl .scss .sed .self .sexp .sh .sh-session .sh.in .shader .shen .sieve .sig .sj .sjs .sl .sld .slim
    .sls .sma .smali .smk .sml .smt .smt2 .snip .snippet .snippets .soy .sp .spc .spin .sps .sqf .sqlrpgle
    .sra .sru .srw .ss .ssjs .sss .st .stan .sthlp .story .sty .styl .sv .svelte .svh .swift .t .tac .talon
    .tcc .tcl .tcl.in .tcsh .tea .tesc .tese .tex .tf .tfvars .thor .thrift .thy .tla .tm .tmac .tmux .tool
    .tpb .tpl .tpp .tps .trg .tst .tu .twig .txl .uc .udo .uno .upc .ur .urs .v .vala .vapi .vark .vb .vba
    .vbhtml .vbs .vcl .veo .vert .vh .vhd .vhdl .vhf .vhi .vho .vhs .vht .vhw .view.lkml .vim .vimrc .vmb
    .volt .vrx .vsh .vshader .vtl .vue .vw .vy .w .wast .wat .watchr .wdl .webidl .whiley .wisp .wl .wlk
    .wlt .wlua .wren .ws .wsgi .x10 .x68 .xc .xht .xhtml .xi .xm .xojo_code .xojo_menu .xojo_report
    .xojo_script .xojo_toolbar .xojo_window .xpl .xproc .xpy .xq .xql .xqm .xquery .xqy .xrl .xs .xsh .xsjs
    .xsjslib .xsl .xslt .xtend .xzap .y .yacc .yap .yar .yara .yasnippet .yrl .yul .zap .zeek .zep .zig .zil
    .zimpl .zmpl .zpl .zs .zsh .zsh-theme
    """.split()
)

#: Extensions (lower case) whose languages are all data or prose.
OTHER_EXTENSIONS = frozenset(
    """
    .2da .4dform .4dproject .abnf .adml .admx .adoc .afm .anim .ant .apacheconf .arpa .asciidoc .asn .asn1
    .asset .avdl .avsc .axaml .axml .bdf .brd .builds .c++-objdump .c++objdump .c-objdump .cabal .ccproj
    .ccxml .cfg .cil .clixml .code-snippets .conll .conllu .cpp-objdump .cppobjdump .cproject .cql .crc32
    .creole .cscfg .csdef .csl .cson .csproj .csv .ct .cxx-objdump .d-objdump .dae .darcspatch .depproj
    .desktop .desktop.in .diff .dircolors .dita .ditamap .ditaval .dll.config .dof .dot .dotsettings .dpatch
    .eam.fs .eb .ebnf .edc .edn .eml .epj .fea .filters .flf .fsproj .fxml .gbl .gbo .gbp .gbr .gbs .ged
    .geojson .gitconfig .gitignore .gko .glade .gltf .glyphs .gmx .gn .gni .gpb .gpt .gql .gradle .graphql
    .graphqls .grxml .gtl .gto .gtp .gts .gv .har .http .hxml .hzp .iml .ini .irclog .iuml .ivy .jelly .json
    .json-tmlanguage .json5 .jsonc .jsonl .jsonld .jsproj .kicad_mod .kicad_pcb .kicad_sch .kicad_wks .kml
    .lark .launch .ld .lds .lektorproject .livemd .markdown .mat .mbox .mcmeta .md2 .md4 .md5 .mdown
    .mdpolicy .mdwn .mdx .mediawiki .meta .mir .mjml .mkd .mkdn .mkdown .mtl .muse .mxml .mysql .nanorc
    .natvis .ndproj .neon .nginx .nginxconf .ninja .no .nproj .nuspec .obj .objdump .odd .org .osm .outjob
    .owl .patch .pbtxt .pcbdoc .pd .pkgproj .pkl .plantuml .plist .po .pod .pod6 .pot .prefab .prefs .prisma
    .prjpcb .proj .properties .props .proto .ps1xml .psc1 .pt .pub .puml .pytb .qhelp .qmd .raw .rdf .rdoc
    .reek .reg .regex .regexp .rest .rest.txt .resx .rmd .ronn .rq .rss .rst .rst.txt .rviz .schdoc .scxml
    .service .sfd .sfproj .sha1 .sha2 .sha224 .sha256 .sha256sum .sha3 .sha384 .sha512 .shproj .sln .snap
    .sparql .srdf .ston .storyboard .sttheme .sublime-build .sublime-commands .sublime-completions
    .sublime-keymap .sublime-macro .sublime-menu .sublime-mousemap .sublime-project .sublime-settings
    .sublime-snippet .sublime-syntax .sublime-theme .sublime-workspace .sublime_metrics .sublime_session
    .svg .syntax .tab .targets .te .texi .texinfo .textile .textproto .tfstate .tfstate.backup .tl
    .tmcommand .tml .tmlanguage .tmpreferences .tmsnippet .tmtheme .toml .topojson .tsv .ttl .txi .txt .udf
    .ui .unity .urdf .ux .vbproj .vcxproj .vdf .vhost .viw .vsixmanifest .vssettings .vstemplate .vtt .vxml
    .webapp .webmanifest .weechatlog .wiki .wikitext .wixproj .workbook .wsdl .wsf .wxi .wxl .wxs .x3d
    .xacro .xaml .xbm .xib .xlf .xliff .xmi .xml .xml.dist .xmp .xpm .xproj .xsd .xsp-config .xsp.metadata
    .xspec .xul .yaml .yaml-tmlanguage .yaml.sed .yang .yml .yml.mysql .yyp .zcml .zone
    """.split()
)

#: File names whose languages are all programming or markup.
SOURCE_FILENAMES = frozenset(
    """
    .Rprofile .abbrev_defs .bash_aliases .bash_history .bash_logout .bash_profile .bashrc .cshrc .emacs
    .emacs.desktop .env .env.example .exrc .factor-boot-rc .factor-rc .flaskenv .gclient .gnus .gvimrc
    .irbrc .kshrc .login .luacheckrc .nvimrc .php .php_cs .php_cs.dist .profile .pryrc .simplecov .spacemacs
    .vimrc .viper .zlogin .zlogout .zprofile .zshenv .zshrc 9fs APKBUILD Appraisals BSDmakefile BUCK BUILD
    BUILD.bazel Berksfile Brewfile Buildfile CMakeLists.txt Cakefile Capfile Cask Containerfile DEPS
    Dangerfile Deliverfile Dockerfile Earthfile Emakefile Fakefile Fastfile GNUmakefile Gemfile Guardfile
    Jakefile Jarfile Jenkinsfile Kbuild Lexer.x Makefile Makefile.PL Makefile.am Makefile.boot Makefile.frag
    Makefile.in Makefile.inc Makefile.wat Mavenfile Modulefile Notebook Nukefile PKGBUILD Phakefile Podfile
    Procfile Project.ede Puppetfile ROOT Rakefile Rexfile SConscript SConstruct Singularity Slakefile
    Snakefile Snapfile Steepfile Thorfile Tiltfile Vagrantfile WORKSPACE _emacs _vimrc abbrev_defs ack
    bash_aliases bash_logout bash_profile bashrc buildfile configure.ac cpanfile cshrc descrip.mmk
    descrip.mms eqnrc expr-dist gradlew gvimrc installscript.qs kakrc kshrc lexer.x login m3makefile
    m3overrides makefile makefile.sco man meson.build meson_options.txt mix.lock mkfile mmn mmt
    nextflow.config nim.cfg nvimrc owh profile rebar.config rebar.config.lock rebar.lock riemann.config
    starfield toolchain_installscript.qs troffrc troffrc-end vimrc wscript zlogin zlogout zprofile zshenv
    zshrc
    """.split()
)

#: File names whose languages are all data or prose.
OTHER_FILENAMES = frozenset(
    """
    .XCompose .arcconfig .atomignore .auto-changelog .babelignore .babelrc .browserslistrc .bzrignore .c8rc
    .clang-format .clang-tidy .classpath .coffeelintignore .coveragerc .cproject .curlrc .cvsignore
    .devcontainer.json .dir_colors .dircolors .dockerignore .editorconfig .eleventyignore .eslintignore
    .eslintrc.json .flake8 .gemrc .git-blame-ignore-revs .gitattributes .gitconfig .gitignore .gitmodules
    .gn .htaccess .htmlhintrc .imgbotconfig .inputrc .jscsrc .jshintrc .jslintrc .markdownlintignore .nanorc
    .nodemonignore .npmignore .npmrc .nycrc .prettierignore .project .pylintrc .shellcheckrc
    .stylelintignore .tern-config .tern-project .tm_properties .vercelignore .vscodeignore .watchmanconfig
    .wgetrc Android.bp App.config CITATION CITATION.cff CITATIONS CODEOWNERS COPYING COPYING.regex
    COPYRIGHT.regex Cargo.lock DIR_COLORS FONTLOG Gemfile.lock Gopkg.lock INSTALL INSTALL.mysql LICENSE
    LICENSE.mysql MANIFEST.MF MD5SUMS NEWS NuGet.config Pipfile Pipfile.lock README.me README.mysql
    README.nss SHA1SUMS SHA256SUMS SHA256SUMS.txt SHA512SUMS Settings.StyleCop Web.Debug.config
    Web.Release.config Web.config XCompose _curlrc _dir_colors _dircolors _redirects ant.xml apache2.conf
    api-extractor.json browserslist build.xml buildozer.spec cabal.config cabal.project checksums.txt cksums
    click.me composer.lock contents.lr delete.me devcontainer.json dir_colors encodings.dir file_contexts
    firestore.rules fonts.alias fonts.dir fonts.scale fp-lib-table genfs_contexts gitignore-global
    gitignore_global glide.lock go.mod go.sum haproxy.cfg httpd.conf initial_sids inputrc jsconfig.json
    keep.me language-configuration.json language-subtag-registry.txt ld.script mcmod.info md5sum.txt nanorc
    nginx.conf package.mask package.use.mask package.use.stable.mask packages.config poetry.lock pom.xml
    port_contexts pylintrc read.me readme.1st robots.txt security_classes ssh-config ssh_config sshconfig
    sshconfig.snip sshd-config sshd_config test.me tsconfig.json tslint.json use.mask use.stable.mask
    xcompose yarn.lock
    """.split()
)
#: Linguist 7.22.1's vendor.yml, verbatim.
VENDORED = (
    r"(^|/)cache/", r"^[Dd]ependencies/", r"(^|/)dist/", r"^deps/", r"(^|/)configure$",
    r"(^|/)config\.guess$", r"(^|/)config\.sub$", r"(^|/)aclocal\.m4", r"(^|/)libtool\.m4",
    r"(^|/)ltoptions\.m4", r"(^|/)ltsugar\.m4", r"(^|/)ltversion\.m4", r"(^|/)lt~obsolete\.m4",
    r"(^|/)dotnet-install\.(ps1|sh)$", r"(^|/)cpplint\.py", r"(^|/)node_modules/", r"(^|/)\.yarn/releases/",
    r"(^|/)\.yarn/plugins/", r"(^|/)\.yarn/sdks/", r"(^|/)\.yarn/versions/", r"(^|/)\.yarn/unplugged/",
    r"(^|/)_esy$", r"(^|/)bower_components/", r"^rebar$", r"(^|/)erlang\.mk", r"(^|/)Godeps/_workspace/",
    r"(^|/)testdata/", r"(^|/)\.indent\.pro", r"(\.|-)min\.(js|css)$",
    r"([^\s]*)import\.(css|less|scss|styl)$", r"(^|/)bootstrap([^/.]*)(?=\.).*\.(js|css|less|scss|styl)$",
    r"(^|/)custom\.bootstrap([^\s]*)(js|css|less|scss|styl)$", r"(^|/)font-?awesome\.(css|less|scss|styl)$",
    r"(^|/)font-?awesome/.*\.(css|less|scss|styl)$", r"(^|/)foundation\.(css|less|scss|styl)$",
    r"(^|/)normalize\.(css|less|scss|styl)$", r"(^|/)skeleton\.(css|less|scss|styl)$",
    r"(^|/)[Bb]ourbon/.*\.(css|less|scss|styl)$", r"(^|/)animate\.(css|less|scss|styl)$",
    r"(^|/)materialize\.(css|less|scss|styl|js)$", r"(^|/)select2/.*\.(css|scss|js)$",
    r"(^|/)bulma\.(css|sass|scss)$", r"(3rd|[Tt]hird)[-_]?[Pp]arty/", r"(^|/)vendors?/",
    r"(^|/)[Ee]xtern(als?)?/", r"(^|/)[Vv]+endor/", r"^debian/", r"(^|/)run\.n$",
    r"(^|/)bootstrap-datepicker/", r"(^|/)jquery([^.]*)\.js$", r"(^|/)jquery\-\d\.\d+(\.\d+)?\.js$",
    r"(^|/)jquery\-ui(\-\d\.\d+(\.\d+)?)?(\.\w+)?\.(js|css)$",
    r"(^|/)jquery\.(ui|effects)\.([^.]*)\.(js|css)$", r"(^|/)jquery\.fn\.gantt\.js",
    r"(^|/)jquery\.fancybox\.(js|css)", r"(^|/)fuelux\.js", r"(^|/)jquery\.fileupload(-\w+)?\.js$",
    r"(^|/)jquery\.dataTables\.js", r"(^|/)bootbox\.js", r"(^|/)pdf\.worker\.js", r"(^|/)slick\.\w+.js$",
    r"(^|/)Leaflet\.Coordinates-\d+\.\d+\.\d+\.src\.js$", r"(^|/)leaflet\.draw-src\.js",
    r"(^|/)leaflet\.draw\.css", r"(^|/)Control\.FullScreen\.css", r"(^|/)Control\.FullScreen\.js",
    r"(^|/)leaflet\.spin\.js", r"(^|/)wicket-leaflet\.js", r"(^|/)\.sublime-project",
    r"(^|/)\.sublime-workspace", r"(^|/)\.vscode/", r"(^|/)prototype(.*)\.js$", r"(^|/)effects\.js$",
    r"(^|/)controls\.js$", r"(^|/)dragdrop\.js$", r"(.*?)\.d\.ts$",
    r"(^|/)mootools([^.]*)\d+\.\d+.\d+([^.]*)\.js$", r"(^|/)dojo\.js$", r"(^|/)MochiKit\.js$",
    r"(^|/)yahoo-([^.]*)\.js$", r"(^|/)yui([^.]*)\.js$", r"(^|/)ckeditor\.js$",
    r"(^|/)tiny_mce([^.]*)\.js$", r"(^|/)tiny_mce/(langs|plugins|themes|utils)", r"(^|/)ace-builds/",
    r"(^|/)fontello(.*?)\.css$", r"(^|/)MathJax/", r"(^|/)Chart\.js$",
    r"(^|/)[Cc]ode[Mm]irror/(\d+\.\d+/)?(lib|mode|theme|addon|keymap|demo)", r"(^|/)shBrush([^.]*)\.js$",
    r"(^|/)shCore\.js$", r"(^|/)shLegacy\.js$", r"(^|/)angular([^.]*)\.js$",
    r"(^|\/)d3(\.v\d+)?([^.]*)\.js$", r"(^|/)react(-[^.]*)?\.js$", r"(^|/)flow-typed/.*\.js$",
    r"(^|/)modernizr\-\d\.\d+(\.\d+)?\.js$", r"(^|/)modernizr\.custom\.\d+\.js$",
    r"(^|/)knockout-(\d+\.){3}(debug\.)?js$", r"(^|/)docs?/_?(build|themes?|templates?|static)/",
    r"(^|/)admin_media/", r"(^|/)env/", r"(^|/)fabfile\.py$", r"(^|/)waf$", r"(^|/)\.osx$",
    r"\.xctemplate/", r"\.imageset/", r"(^|/)Carthage/", r"(^|/)Sparkle/", r"(^|/)Crashlytics\.framework/",
    r"(^|/)Fabric\.framework/", r"(^|/)BuddyBuildSDK\.framework/", r"(^|/)Realm\.framework",
    r"(^|/)RealmSwift\.framework", r"(^|/)\.gitattributes$", r"(^|/)\.gitignore$", r"(^|/)\.gitmodules$",
    r"(^|/)gradlew$", r"(^|/)gradlew\.bat$", r"(^|/)gradle/wrapper/", r"(^|/)mvnw$", r"(^|/)mvnw\.cmd$",
    r"(^|/)\.mvn/wrapper/", r"-vsdoc\.js$", r"\.intellisense\.js$",
    r"(^|/)jquery([^.]*)\.validate(\.unobtrusive)?\.js$", r"(^|/)jquery([^.]*)\.unobtrusive\-ajax\.js$",
    r"(^|/)[Mm]icrosoft([Mm]vc)?([Aa]jax|[Vv]alidation)(\.debug)?\.js$", r"(^|/)[Pp]ackages\/.+\.\d+\/",
    r"(^|/)extjs/.*?\.js$", r"(^|/)extjs/.*?\.xml$", r"(^|/)extjs/.*?\.txt$", r"(^|/)extjs/.*?\.html$",
    r"(^|/)extjs/.*?\.properties$", r"(^|/)extjs/\.sencha/", r"(^|/)extjs/docs/", r"(^|/)extjs/builds/",
    r"(^|/)extjs/cmd/", r"(^|/)extjs/examples/", r"(^|/)extjs/locale/", r"(^|/)extjs/packages/",
    r"(^|/)extjs/plugins/", r"(^|/)extjs/resources/", r"(^|/)extjs/src/", r"(^|/)extjs/welcome/",
    r"(^|/)html5shiv\.js$", r"(^|/)[Tt]ests?/fixtures/", r"(^|/)[Ss]pecs?/fixtures/",
    r"(^|/)cordova([^.]*)\.js$", r"(^|/)cordova\-\d\.\d(\.\d)?\.js$", r"(^|/)foundation(\..*)?\.js$",
    r"(^|/)Vagrantfile$", r"(^|/)\.[Dd][Ss]_[Ss]tore$", r"(^|/)vignettes/", r"(^|/)inst/extdata/",
    r"(^|/)octicons\.css", r"(^|/)sprockets-octicons\.scss", r"(^|/)activator$", r"(^|/)activator\.bat$",
    r"(^|/)proguard\.pro$", r"(^|/)proguard-rules\.pro$", r"(^|/)puphpet/", r"(^|/)\.google_apis/",
    r"(^|/)Jenkinsfile$", r"(^|/)\.gitpod\.Dockerfile$", r"(^|/)\.github/",
)
#: Linguist 7.22.1's documentation.yml, verbatim.
DOCUMENTATION = (
    r"^[Dd]ocs?/", r"(^|/)[Dd]ocumentation/", r"(^|/)[Gg]roovydoc/", r"(^|/)[Jj]avadoc/", r"^[Mm]an/",
    r"^[Ee]xamples/", r"^[Dd]emos?/", r"(^|/)inst/doc/", r"(^|/)CITATION(\.cff|(S)?(\.(bib|md))?)$",
    r"(^|/)CHANGE(S|LOG)?(\.|$)", r"(^|/)CONTRIBUTING(\.|$)", r"(^|/)COPYING(\.|$)", r"(^|/)INSTALL(\.|$)",
    r"(^|/)LICEN[CS]E(\.|$)", r"(^|/)[Ll]icen[cs]e(\.|$)", r"(^|/)README(\.|$)", r"(^|/)[Rr]eadme(\.|$)",
    r"^[Ss]amples?/",
)

#: Extensions that a source language and a data or prose language share, with
#: the verdict Linguist's heuristics give on typical content (True = source).
MIXED_EXTENSIONS = {
    ".asc": False, ".asy": True, ".cue": True, ".ddl": False, ".dsc": False, ".dsp": False,
    ".for": True, ".fr": True, ".gml": False, ".gst": True, ".ice": True, ".inc": True,
    ".mask": True, ".mc": True, ".md": False, ".mm": True, ".mod": False, ".nb": True,
    ".ncl": False, ".nl": False, ".odin": True, ".pbt": False, ".pluginspec": True, ".pm": True,
    ".prc": False, ".pro": True, ".res": True, ".rs": True, ".scd": True, ".sch": False,
    ".sol": True, ".spec": False, ".sql": False, ".srt": False, ".star": True, ".toc": False,
    ".ts": True, ".tsx": True, ".workflow": False, ".x": False, ".yy": True,
}
#: The content-free subset of Linguist's ``generated.rb``.
GENERATED = (
    r"(?:^|/)\.idea/", r"(^Pods|/Pods)/", r"(^|/)Carthage/Build/", r"\.designer\.(cs|vb)$",
    r"\.feature\.cs$", r"node_modules/", r"_pb2\.py$", r"\.pb\.(go|cc|h)$",
)
